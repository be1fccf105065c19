// Reads a Dockerfile into the facts that decide PID 1: per stage ENV/ARG, COPY mappings,
// USER, WORKDIR, SHELL, STOPSIGNAL, ENTRYPOINT/CMD (exec or shell form, with offsets), and
// what RUN installs. The final stage decides PID 1; `FROM <earlier stage>` inherits.
import { DockerfileParser, Env, Arg, From, Copy, Add, JSONInstruction, type Instruction } from 'dockerfile-ast';
import type { SourceFile } from './types.ts';
import { MigrateError } from './types.ts';
import { normalize } from './context.ts';
import { posix } from 'node:path';

export interface JsonString {
  readonly value: string;
  /** Offsets of the string including its quotes. */
  readonly start: number;
  readonly end: number;
  /** The characters between the quotes decode to `value` one for one (no escapes). */
  readonly plain: boolean;
}

export interface ExecSpec {
  readonly keyword: 'CMD' | 'ENTRYPOINT';
  readonly form: 'exec' | 'shell';
  /** For shell form: the SHELL argv followed by the command text. */
  readonly argv: string[];
  readonly strings: JsonString[];
  /** Shell form: the command text exactly as written, and where it starts. */
  readonly script: { readonly text: string; readonly offset: number } | null;
  readonly start: number;
  readonly end: number;
  readonly argsStart: number;
  readonly argsEnd: number;
  readonly line: number;
}

export interface Positioned {
  readonly value: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
}

export interface CopyEntry {
  readonly sources: string[];
  readonly dest: string;
  readonly fromStage: string | null;
  readonly line: number;
}

export interface StageState {
  readonly env: Map<string, Positioned>;
  readonly copies: CopyEntry[];
  entrypoint: ExecSpec | null;
  cmd: ExecSpec | null;
  stopSignal: Positioned | null;
  user: Positioned | null;
  workdir: string;
  shell: string[];
  readonly runs: Positioned[];
}

export interface Stage {
  readonly index: number;
  readonly name: string | null;
  /** The external image this stage's chain starts from. */
  readonly baseImage: string;
  readonly fromLine: number;
  readonly fromEnd: number;
  readonly instructions: Instruction[];
  readonly state: StageState;
}

export interface DockerfileModel {
  readonly file: SourceFile;
  readonly stages: Stage[];
  readonly final: Stage;
  readonly escape: string;
  offsetOf(line: number, character: number): number;
}

const KNOWN = new Set(['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);

export function lineOffsets(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** Expands `$X`, `${X}`, `${X:-d}` and `${X-d}` from known values; unknown variables stay as written. */
export function substitute(value: string, vars: ReadonlyMap<string, string>): string {
  return value.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (m, a, def, b) => {
    const name = (a ?? b) as string;
    const v = vars.get(name);
    if (v !== undefined && v !== '') return v;
    if (def !== undefined) return def as string;
    return v ?? m;
  });
}

function cloneState(s: StageState): StageState {
  return { ...s, env: new Map(s.env), copies: [...s.copies], runs: [...s.runs], shell: [...s.shell] };
}

function emptyState(): StageState {
  return { env: new Map(), copies: [], entrypoint: null, cmd: null, stopSignal: null, user: null, workdir: '/', shell: ['/bin/sh', '-c'], runs: [] };
}

export function readDockerfile(file: SourceFile): DockerfileModel {
  const starts = lineOffsets(file.text);
  const offsetOf = (line: number, character: number): number =>
    Math.min((starts[line] ?? file.text.length) + character, file.text.length);
  let parsed;
  try {
    parsed = DockerfileParser.parse(file.text);
  } catch (e) {
    throw new MigrateError(file.path, 1, `cannot parse Dockerfile: ${(e as Error).message}`);
  }
  const instructions = parsed.getInstructions();
  const escape = parsed.getEscapeCharacter();
  if (file.text.includes('\u0000')) throw new MigrateError(file.path, 1, 'not a Dockerfile: binary content');
  if (instructions.length === 0) throw new MigrateError(file.path, 1, 'not a Dockerfile: it has no instructions');
  const firstKeyword = instructions.find((i) => i.getKeyword() !== 'ARG');
  if (!firstKeyword || firstKeyword.getKeyword() !== 'FROM') {
    const line = firstKeyword ? firstKeyword.getRange().start.line + 1 : 1;
    throw new MigrateError(file.path, line, 'not a Dockerfile: the first instruction (after ARG) must be FROM');
  }
  for (const i of instructions) {
    if (!KNOWN.has(i.getKeyword())) {
      throw new MigrateError(file.path, i.getRange().start.line + 1, `unknown instruction '${i.getInstruction()}'`);
    }
  }

  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  let state: StageState = emptyState();
  let current: { index: number; name: string | null; baseImage: string; fromLine: number; fromEnd: number; instructions: Instruction[] } | null = null;
  const vars = (): Map<string, string> => new Map([...globalArgs, ...[...state.env].map(([k, v]) => [k, v.value] as [string, string])]);
  const pos = (i: { getRange(): { start: { line: number; character: number }; end: { line: number; character: number } } }) => ({
    start: offsetOf(i.getRange().start.line, i.getRange().start.character),
    end: offsetOf(i.getRange().end.line, i.getRange().end.character),
    line: i.getRange().start.line + 1,
  });
  const close = (): void => {
    if (current) stages.push({ ...current, state });
  };

  for (const ins of instructions) {
    const kw = ins.getKeyword();
    const line = ins.getRange().start.line + 1;
    if (kw === 'FROM') {
      close();
      const from = ins as From;
      const image = substitute(from.getImage() ?? '', globalArgs);
      const parent = stages.find((s) => s.name !== null && s.name.toLowerCase() === image.toLowerCase());
      state = parent ? cloneState(parent.state) : emptyState();
      current = {
        index: stages.length, name: from.getBuildStage(), baseImage: parent ? parent.baseImage : image,
        fromLine: line, fromEnd: pos(ins).end, instructions: [],
      };
      continue;
    }
    if (!current) {
      if (ins instanceof Arg) {
        const p = ins.getProperty();
        if (p) globalArgs.set(p.getName(), p.getValue() ?? '');
      }
      continue;
    }
    current.instructions.push(ins);
    if (ins instanceof Env) {
      for (const p of ins.getProperties()) {
        const r = p.getValueRange();
        const value = substitute(p.getValue() ?? '', vars());
        const at = r ? { start: offsetOf(r.start.line, r.start.character), end: offsetOf(r.end.line, r.end.character) } : pos(ins);
        state.env.set(p.getName(), { value, ...at, line });
      }
    } else if (ins instanceof Arg) {
      const p = ins.getProperty();
      if (p && !state.env.has(p.getName())) {
        const v = p.getValue() ?? globalArgs.get(p.getName());
        if (v !== undefined) state.env.set(p.getName(), { value: substitute(v, vars()), ...pos(ins) });
      }
    } else if (ins instanceof Copy || ins instanceof Add) {
      const args = ins.getArguments().map((a) => substitute(a.getValue(), vars()));
      const exec = ins instanceof JSONInstruction && ins.getOpeningBracket() && ins.getClosingBracket();
      const list = exec ? (ins as JSONInstruction).getJSONStrings().map((s) => {
        const r = s.getRange();
        return substitute(jsonValue(file.text.slice(offsetOf(r.start.line, r.start.character), offsetOf(r.end.line, r.end.character)), s.getJSONValue()), vars());
      }) : args;
      const fromFlag = ins instanceof Copy ? ins.getFromFlag()?.getValue() ?? null : null;
      if (list.length >= 2) {
        const dest = list[list.length - 1]!;
        const abs = dest.startsWith('/') ? dest : posix.join(state.workdir, dest) + (dest.endsWith('/') ? '/' : '');
        state.copies.push({ sources: list.slice(0, -1).map(normalize), dest: abs, fromStage: fromFlag, line });
      }
    } else if (kw === 'WORKDIR') {
      const w = substitute(ins.getArgumentsContent() ?? '/', vars()).trim();
      state.workdir = posix.resolve(state.workdir, w);
    } else if (kw === 'USER') {
      const a = ins.getArgumentsRange();
      state.user = { value: substitute(ins.getArgumentsContent() ?? '', vars()).trim(), ...pos(ins),
        ...(a ? { start: offsetOf(a.start.line, a.start.character), end: offsetOf(a.end.line, a.end.character) } : {}) };
    } else if (kw === 'STOPSIGNAL') {
      const a = ins.getArgumentsRange();
      const at = a ? { start: offsetOf(a.start.line, a.start.character), end: offsetOf(a.end.line, a.end.character) } : pos(ins);
      state.stopSignal = { value: substitute(ins.getArgumentsContent() ?? '', vars()).trim(), ...at, line };
    } else if (kw === 'RUN') {
      state.runs.push({ value: ins.getRawArgumentsContent() ?? '', ...pos(ins) });
    } else if (kw === 'SHELL' && ins instanceof JSONInstruction && ins.getOpeningBracket() && ins.getClosingBracket()) {
      state.shell = ins.getJSONStrings().map((s) => {
        const r = s.getRange();
        return jsonValue(file.text.slice(offsetOf(r.start.line, r.start.character), offsetOf(r.end.line, r.end.character)), s.getJSONValue());
      });
    } else if ((kw === 'CMD' || kw === 'ENTRYPOINT') && ins instanceof JSONInstruction) {
      const spec = execSpec(kw, ins, state.shell, file.text, offsetOf, line);
      if (kw === 'ENTRYPOINT') {
        state.entrypoint = spec;
        // Docker resets an inherited CMD when a stage sets ENTRYPOINT.
        if (state.cmd && state.cmd.start < current.fromEnd) state.cmd = null;
      } else {
        state.cmd = spec;
      }
    }
  }
  close();
  return { file, stages, final: stages[stages.length - 1]!, escape, offsetOf };
}

function execSpec(keyword: 'CMD' | 'ENTRYPOINT', ins: JSONInstruction, shell: string[], text: string,
  offsetOf: (l: number, c: number) => number, line: number): ExecSpec {
  const r = ins.getRange();
  const a = ins.getArgumentsRange();
  const start = offsetOf(r.start.line, r.start.character);
  const end = offsetOf(r.end.line, r.end.character);
  const argsStart = a ? offsetOf(a.start.line, a.start.character) : end;
  const argsEnd = a ? offsetOf(a.end.line, a.end.character) : end;
  if (ins.getOpeningBracket() && ins.getClosingBracket()) {
    const strings = ins.getJSONStrings().map((s) => {
      const jr = s.getRange();
      const sStart = offsetOf(jr.start.line, jr.start.character);
      const sEnd = offsetOf(jr.end.line, jr.end.character);
      const value = jsonValue(text.slice(sStart, sEnd), s.getJSONValue());
      return { value, start: sStart, end: sEnd, plain: text.slice(sStart + 1, sEnd - 1) === value };
    });
    return { keyword, form: 'exec', argv: strings.map((s) => s.value), strings, script: null, start, end, argsStart, argsEnd, line };
  }
  const script = text.slice(argsStart, argsEnd);
  return { keyword, form: 'shell', argv: [...shell, script], strings: [], script: { text: script, offset: argsStart }, start, end, argsStart, argsEnd, line };
}

/** dockerfile-ast's JSON value drops whitespace; decode the literal ourselves. */
function jsonValue(raw: string, fallback: string): string {
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'string' ? v : fallback;
  } catch {
    return fallback;
  }
}

/** Context path of the file that ends up at `imagePath` in the final stage, if it came from the context. */
export function contextPathFor(stage: Stage, imagePath: string, isDir: (p: string) => boolean): string | null {
  const target = posix.normalize(imagePath);
  for (let i = stage.state.copies.length - 1; i >= 0; i--) {
    const c = stage.state.copies[i]!;
    if (c.fromStage !== null) continue;
    const destIsDir = c.dest.endsWith('/') || c.sources.length > 1;
    for (const src of c.sources) {
      const srcIsDir = src === '' || isDir(src);
      if (srcIsDir) {
        const base = posix.normalize(c.dest);
        if (target.startsWith(base === '/' ? '/' : base + '/')) {
          const rest = target.slice(base === '/' ? 1 : base.length + 1);
          return src === '' ? rest : `${src}/${rest}`;
        }
      } else {
        const dest = destIsDir ? posix.join(c.dest, posix.basename(src)) : posix.normalize(c.dest);
        if (dest === target) return src;
      }
    }
  }
  return null;
}
