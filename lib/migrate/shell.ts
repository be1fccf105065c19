// A small POSIX sh / bash reader: enough structure to find the commands a script runs,
// how they are connected (`;`, `&&`, `|`, `&`), whether they sit at the top level, in a
// function or in a compound command, and where every word starts and ends so that the
// rewriter can make byte-exact edits. It does not evaluate anything.

export type Connector = ';' | '&' | '&&' | '||' | '|' | '|&' | '\n' | ';;';

export interface Word {
  /** Source text of the word, quotes included. */
  readonly raw: string;
  /** The word with quotes removed; expansions are kept as written (`$PORT`). */
  readonly value: string;
  readonly start: number;
  readonly end: number;
  /** Contains `$`, a backquote or an unquoted glob character. */
  readonly dynamic: boolean;
}

export interface Command {
  readonly kind: 'simple' | 'compound';
  /** Command words without assignments and redirections; for a compound, its keyword. */
  readonly words: Word[];
  readonly assignments: Word[];
  readonly redirects: string[];
  readonly start: number;
  end: number;
  /** Nesting in compound commands and function bodies; 0 is the script's top level. */
  readonly depth: number;
  /** Name of the enclosing function, if any. */
  readonly inFunction: string | null;
  readonly before: Connector | null;
  after: Connector | null;
}

export interface ShellScript {
  readonly text: string;
  readonly commands: Command[];
  readonly functions: ReadonlySet<string>;
}

export class ShellParseError extends Error {
  readonly offset: number;
  constructor(offset: number, message: string) {
    super(message);
    this.name = 'ShellParseError';
    this.offset = offset;
  }
}

type Token =
  | { readonly type: 'word'; readonly word: Word }
  | { readonly type: 'op'; readonly op: string; readonly start: number; readonly end: number };

const META = new Set([' ', '\t', '\n', '|', '&', ';', '<', '>', '(', ')']);
const OPS = ['&&', '||', ';;', '|&', '&>>', '&>', '>>', '<<<', '<<-', '<<', '<&', '>&', '<>', '>|', ';', '&', '|', '<', '>', '(', ')', '\n'];
const REDIRECTS = new Set(['&>>', '&>', '>>', '<<<', '<<-', '<<', '<&', '>&', '<>', '>|', '<', '>']);

class Lexer {
  private pos = 0;
  private readonly heredocs: { delim: string; strip: boolean }[] = [];
  private readonly text: string;
  constructor(text: string) {
    this.text = text;
  }

  next(): Token | null {
    const t = this.text;
    for (;;) {
      const c = t[this.pos];
      if (c === undefined) return null;
      if (c === ' ' || c === '\t' || c === '\r') { this.pos++; continue; }
      if (c === '\\' && t[this.pos + 1] === '\n') { this.pos += 2; continue; }
      if (c === '#') {
        while (this.pos < t.length && t[this.pos] !== '\n') this.pos++;
        continue;
      }
      break;
    }
    const start = this.pos;
    // An fd number directly before a redirection belongs to the redirection.
    const fd = /^[0-9]+(?=[<>])/.exec(t.slice(start, start + 12));
    if (fd) this.pos += fd[0].length;
    for (const op of OPS) {
      if (t.startsWith(op, this.pos)) {
        if (fd && !REDIRECTS.has(op)) break;
        this.pos += op.length;
        if (op === '\n') this.skipHeredocs();
        return { type: 'op', op, start, end: this.pos };
      }
    }
    this.pos = start;
    return { type: 'word', word: this.readWord() };
  }

  pushHeredoc(delim: string, strip: boolean): void {
    this.heredocs.push({ delim, strip });
  }

  private skipHeredocs(): void {
    const t = this.text;
    while (this.heredocs.length > 0) {
      const { delim, strip } = this.heredocs.shift()!;
      for (;;) {
        if (this.pos >= t.length) throw new ShellParseError(t.length, `here-document delimited by '${delim}' is not closed`);
        let eol = t.indexOf('\n', this.pos);
        if (eol < 0) eol = t.length;
        let line = t.slice(this.pos, eol);
        if (strip) line = line.replace(/^\t+/, '');
        this.pos = Math.min(eol + 1, t.length);
        if (line === delim || line === delim + '\r') break;
      }
    }
  }

  private readWord(): Word {
    const t = this.text;
    const start = this.pos;
    let value = '';
    let dynamic = false;
    while (this.pos < t.length) {
      const c = t[this.pos]!;
      if (META.has(c) || c === '\r') break;
      if (c === '\\') {
        if (t[this.pos + 1] === '\n') { this.pos += 2; continue; }
        value += t[this.pos + 1] ?? '';
        this.pos += 2;
        continue;
      }
      if (c === "'") {
        const close = t.indexOf("'", this.pos + 1);
        if (close < 0) throw new ShellParseError(this.pos, 'unterminated single quote');
        value += t.slice(this.pos + 1, close);
        this.pos = close + 1;
        continue;
      }
      if (c === '"') {
        value += this.readDouble();
        dynamic ||= /[$`]/.test(value);
        continue;
      }
      if (c === '$' && t[this.pos + 1] === "'") {
        this.pos++;
        const s = this.pos;
        this.pos++;
        while (this.pos < t.length && t[this.pos] !== "'") this.pos += t[this.pos] === '\\' ? 2 : 1;
        if (this.pos >= t.length) throw new ShellParseError(s, "unterminated $'...' string");
        value += t.slice(s + 1, this.pos);
        this.pos++;
        dynamic = true;
        continue;
      }
      if (c === '$' || c === '`') {
        const s = this.pos;
        this.skipExpansion();
        value += t.slice(s, this.pos);
        dynamic = true;
        continue;
      }
      if (c === '*' || c === '?' || c === '[') dynamic = true;
      value += c;
      this.pos++;
    }
    return { raw: t.slice(start, this.pos), value, start, end: this.pos, dynamic };
  }

  private readDouble(): string {
    const t = this.text;
    const open = this.pos;
    this.pos++;
    let value = '';
    while (this.pos < t.length && t[this.pos] !== '"') {
      const c = t[this.pos]!;
      if (c === '\\') {
        const n = t[this.pos + 1] ?? '';
        if (n !== '\n') value += '$`"\\'.includes(n) ? n : c + n;
        this.pos += 2;
      } else if (c === '$' || c === '`') {
        const s = this.pos;
        this.skipExpansion();
        value += t.slice(s, this.pos);
      } else {
        value += c;
        this.pos++;
      }
    }
    if (this.pos >= t.length) throw new ShellParseError(open, 'unterminated double quote');
    this.pos++;
    return value;
  }

  /** Skips `$name`, `${...}`, `$(...)`, `$((...))` or a backquoted command. */
  private skipExpansion(): void {
    const t = this.text;
    const s = this.pos;
    if (t[this.pos] === '`') {
      this.pos++;
      while (this.pos < t.length && t[this.pos] !== '`') this.pos += t[this.pos] === '\\' ? 2 : 1;
      if (this.pos >= t.length) throw new ShellParseError(s, 'unterminated backquote');
      this.pos++;
      return;
    }
    this.pos++;
    const c = t[this.pos];
    if (c === '{') return this.skipBalanced('{', '}', s);
    if (c === '(') return this.skipBalanced('(', ')', s);
    if (c !== undefined && /[A-Za-z_]/.test(c)) {
      while (this.pos < t.length && /[A-Za-z0-9_]/.test(t[this.pos]!)) this.pos++;
    } else if (c !== undefined && /[0-9@*#?$!-]/.test(c)) {
      this.pos++;
    }
  }

  private skipBalanced(open: string, close: string, from: number): void {
    const t = this.text;
    let depth = 0;
    while (this.pos < t.length) {
      const c = t[this.pos]!;
      if (c === '\\') { this.pos += 2; continue; }
      if (c === "'" && open === '(') {
        const q = t.indexOf("'", this.pos + 1);
        if (q < 0) break;
        this.pos = q + 1;
        continue;
      }
      if (c === '"') { this.readDouble(); continue; }
      if (c === '`' || (c === '$' && t[this.pos + 1] !== open)) {
        if (c === '`' || t[this.pos + 1] === '{' || t[this.pos + 1] === '(') { this.skipExpansion(); continue; }
      }
      if (c === open) depth++;
      if (c === close) {
        depth--;
        if (depth === 0) { this.pos++; return; }
      }
      this.pos++;
    }
    throw new ShellParseError(from, `unterminated ${t.slice(from, from + 2)}`);
  }
}

type FrameKind = 'if' | 'loop' | 'case' | 'brace' | 'subshell';
interface Frame {
  readonly kind: FrameKind;
  readonly start: number;
  readonly keyword: Word | null;
  readonly func: string | null;
  casePattern: boolean;
}

const CLOSERS: Record<string, FrameKind> = { fi: 'if', done: 'loop', esac: 'case', '}': 'brace' };
const SEPARATOR_WORDS = new Set(['then', 'else', 'elif', 'do', '!', 'time']);
const CONNECTORS = new Set<string>([';', '&', '&&', '||', '|', '|&', '\n', ';;']);

export function parseShell(text: string): ShellScript {
  const lexer = new Lexer(text);
  const commands: Command[] = [];
  const functions = new Set<string>();
  const frames: Frame[] = [];
  let current: { words: Word[]; assignments: Word[]; redirects: string[]; start: number; end: number } | null = null;
  let before: Connector | null = null;
  let pendingFunc: string | null = null;
  let redirect: string | null = null;
  let skipUntil: string | null = null;

  const funcName = (): string | null => {
    for (let i = frames.length - 1; i >= 0; i--) if (frames[i]!.func) return frames[i]!.func;
    return null;
  };
  const finish = (after: Connector | null): void => {
    if (current && current.words.length + current.assignments.length > 0) {
      commands.push({
        kind: 'simple', words: current.words, assignments: current.assignments, redirects: current.redirects,
        start: current.start, end: current.end, depth: frames.length, inFunction: funcName(), before, after,
      });
      before = after;
    } else if (after !== null) {
      const last = commands[commands.length - 1];
      // `{ ...; } &` or `done | tee`: the connector applies to the compound just closed.
      if (last && last.kind === 'compound' && last.after === null) last.after = after;
      before = after;
    }
    current = null;
  };
  const push = (kind: FrameKind, keyword: Word | null, start: number): void => {
    const func = kind === 'brace' || kind === 'subshell' ? pendingFunc : null;
    if (func) functions.add(func);
    pendingFunc = null;
    frames.push({ kind, start, keyword, func, casePattern: false });
  };
  const pop = (kind: FrameKind, at: number, end: number): void => {
    const top = frames.pop();
    if (!top || top.kind !== kind) throw new ShellParseError(at, `unexpected '${text.slice(at, end)}'`);
    if (top.func) return;
    commands.push({
      kind: 'compound', words: top.keyword ? [top.keyword] : [], assignments: [], redirects: [],
      start: top.start, end, depth: frames.length, inFunction: funcName(), before: null, after: null,
    });
  };

  for (let tok = lexer.next(); tok; tok = lexer.next()) {
    if (skipUntil !== null) {
      if (tok.type === 'word' && tok.word.value === skipUntil) {
        if (skipUntil === 'in') frames[frames.length - 1]!.casePattern = true;
        skipUntil = null;
      }
      continue;
    }
    const top = frames[frames.length - 1];
    if (top?.kind === 'case' && top.casePattern && current === null) {
      if (tok.type === 'word' && tok.word.value === 'esac') { pop('case', tok.word.start, tok.word.end); continue; }
      if (tok.type === 'op' && tok.op === ')') top.casePattern = false;
      continue;
    }
    if (tok.type === 'word') {
      const w = tok.word;
      if (redirect !== null) {
        if (redirect === '<<' || redirect === '<<-') lexer.pushHeredoc(w.value, redirect === '<<-');
        if (current) { current.redirects.push(`${redirect}${w.raw}`); current.end = w.end; }
        redirect = null;
        continue;
      }
      const unquoted = w.raw === w.value;
      if (current === null && unquoted) {
        const v = w.value;
        if (v === 'if' || v === 'while' || v === 'until') { push(v === 'if' ? 'if' : 'loop', w, w.start); before = '\n'; continue; }
        if (v === 'for' || v === 'select') { push('loop', w, w.start); skipUntil = 'do'; before = '\n'; continue; }
        if (v === 'case') { push('case', w, w.start); skipUntil = 'in'; continue; }
        if (v === '{') { push('brace', w, w.start); before = '\n'; continue; }
        if (SEPARATOR_WORDS.has(v)) { before = '\n'; continue; }
        const closes = CLOSERS[v];
        if (closes) { pop(closes, w.start, w.end); continue; }
        if (v === 'function') { current = { words: [], assignments: [], redirects: [], start: w.start, end: w.end }; pendingFunc = ''; continue; }
      }
      if (pendingFunc === '' && current && current.words.length === 0) {
        pendingFunc = w.value;
        current = null;
        continue;
      }
      current ??= { words: [], assignments: [], redirects: [], start: w.start, end: w.end };
      if (current.words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(w.raw)) current.assignments.push(w);
      else current.words.push(w);
      current.end = w.end;
      continue;
    }
    const op = tok.op;
    if (REDIRECTS.has(op)) {
      current ??= { words: [], assignments: [], redirects: [], start: tok.start, end: tok.end };
      redirect = op;
      continue;
    }
    if (redirect !== null) throw new ShellParseError(tok.start, `missing target after '${redirect}'`);
    if (op === '(') {
      const c = current as { words: Word[] } | null;
      if (c && c.words.length === 1) {
        const close = lexer.next();
        if (!close || close.type !== 'op' || close.op !== ')') throw new ShellParseError(tok.start, "expected ')' in function definition");
        pendingFunc = c.words[0]!.value;
        current = null;
        continue;
      }
      if (current !== null) throw new ShellParseError(tok.start, "unexpected '('");
      push('subshell', null, tok.start);
      before = '\n';
      continue;
    }
    if (op === ')') {
      finish(null);
      pop('subshell', tok.start, tok.end);
      continue;
    }
    if (op === ';;') {
      finish(';;');
      if (top?.kind === 'case') top.casePattern = true;
      continue;
    }
    if (CONNECTORS.has(op)) {
      if (pendingFunc !== null && current === null && op === '\n') continue;
      finish(op as Connector);
      continue;
    }
  }
  if (redirect !== null) throw new ShellParseError(text.length, `missing target after '${redirect}'`);
  finish(null);
  const open = frames[frames.length - 1];
  if (open) {
    const what = open.keyword?.value ?? (open.kind === 'subshell' ? '(' : '{');
    throw new ShellParseError(open.start, `'${what}' is not closed before the end of the script`);
  }
  if (skipUntil !== null) throw new ShellParseError(text.length, `expected '${skipUntil}' before the end of the script`);
  return { text, commands, functions };
}

/** The command's words as plain strings. */
export function argvOf(cmd: Command): string[] {
  return cmd.words.map((w) => w.value);
}
