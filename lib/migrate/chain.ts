// Walks from the image's PID 1 argv through inits, exec wrappers, shells, scripts and launchers
// to the long-lived program, recording for each step whether it replaces its parent (exec:
// same PID) or runs as its child. The stop signal goes to nodes[0] only.
import { posix } from 'node:path';
import type { BuildContext } from './context.ts';
import { contextPathFor, substitute, type DockerfileModel, type ExecSpec, type Stage } from './dockerfile.ts';
import type { Command } from './shell.ts';
import { locate, type Location } from './types.ts';
import { makeScript, scriptLocation, type Script } from './script.ts';
import {
  BASE_IMAGE_ENTRYPOINTS, BASE_IMAGE_EXECS, EXEC_WRAPPERS, INITS, LAUNCHERS, PRIV_NAMES, SHELLS, SUPERVISORS,
  base, initChildIndex, interpreterEntry, wrapperChildIndex,
} from './programs.ts';

export { makeScript, scriptLocation, type Script } from './script.ts';
export { base, PRIV_NAMES, SHELLS, INITS } from './programs.ts';

const MAX_DEPTH = 16;

export type NodeKind = 'init' | 'exec-wrapper' | 'priv-wrapper' | 'shell' | 'launcher' | 'supervisor' | 'program';

/** Where an argv was written: a Dockerfile instruction or a command in a script. */
export type Origin =
  | { readonly type: 'instruction'; readonly spec: ExecSpec; readonly index: number; readonly next?: ExecSpec }
  | { readonly type: 'command'; readonly script: Script; readonly command: Command; readonly index: number };

export interface ChainNode {
  readonly kind: NodeKind;
  readonly argv: string[];
  readonly name: string;
  /** Replaces the previous node (exec) rather than running as its child. */
  readonly sameProcess: boolean;
  readonly origin: Origin;
  readonly location: Location;
  /** For shells: the code they run. */
  readonly script?: Script;
  /** For interpreters: the program file, when it comes from the build context. */
  readonly entry?: { readonly path: string; readonly text: string };
  /** For supervisors: their config files from the context. */
  readonly configs?: { readonly path: string; readonly text: string }[];
}

export interface Problem {
  readonly kind: 'script-not-found' | 'script-not-in-context' | 'script-parse-error' | 'chain-too-deep';
  readonly location: Location;
  readonly message: string;
}

export interface Chain {
  readonly nodes: ChainNode[];
  readonly scripts: Script[];
  readonly problems: Problem[];
}

interface Walk {
  readonly model: DockerfileModel;
  readonly ctx: BuildContext;
  readonly stage: Stage;
  readonly vars: Map<string, string>;
  readonly nodes: ChainNode[];
  readonly scripts: Script[];
  readonly problems: Problem[];
}

function originLocation(w: Walk, o: Origin): Location {
  if (o.type === 'instruction') {
    const s = o.spec.strings[o.index];
    return locate(w.model.file.path, w.model.file.text, s ? s.start : o.spec.start);
  }
  const word = o.command.words[o.index];
  return scriptLocation(o.script, word ? word.start : o.command.start);
}

function shiftOrigin(o: Origin, by: number): Origin {
  const index = o.index + by;
  // ENTRYPOINT ["tini", "--"] + CMD [...]: indexes past the ENTRYPOINT continue in the CMD.
  if (o.type === 'instruction' && o.next && o.spec.form === 'exec' && index >= o.spec.strings.length) {
    return { type: 'instruction', spec: o.next, index: index - o.spec.strings.length };
  }
  return { ...o, index };
}

/** Context path of an image path (absolute or relative to WORKDIR), if the build context provides it. */
export function fromContext(w: Pick<Walk, 'stage' | 'ctx'>, imagePath: string): { path: string; text: string } | null {
  const abs = imagePath.startsWith('/') ? imagePath : posix.join(w.stage.state.workdir, imagePath);
  const path = contextPathFor(w.stage, abs, (p) => w.ctx.isDir(p));
  if (path === null) return null;
  const text = w.ctx.read(path);
  return text === undefined ? null : { path, text };
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The context file a program name runs: a path, or a bare name looked up in PATH like execvp does. */
function programFile(w: Walk, name: string): { path: string; text: string } | null {
  if (name.includes('/')) return fromContext(w, name);
  for (const dir of (w.vars.get('PATH') ?? DEFAULT_PATH).split(':')) {
    if (!dir.startsWith('/')) continue;
    const f = fromContext(w, posix.join(dir, name));
    if (f) return f;
  }
  return /\.(sh|bash)$/.test(name) ? fromContext(w, name) : null;
}

function walk(w: Walk, argv: string[], origin: Origin, sameProcess: boolean, depth: number): void {
  if (argv.length === 0) return;
  const location = originLocation(w, origin);
  if (depth > MAX_DEPTH) {
    w.problems.push({ kind: 'chain-too-deep', location, message: `stopped following the process chain after ${MAX_DEPTH} steps` });
    return;
  }
  const resolved = argv.map((a) => substitute(a, w.vars));
  let name = base(resolved[0]!);
  if (name === 'busybox' && resolved.length > 1) name = resolved[1]!;
  const node = (kind: NodeKind, extra: Partial<ChainNode> = {}): ChainNode => {
    const n: ChainNode = { kind, argv: resolved, name, sameProcess, origin, location, ...extra };
    w.nodes.push(n);
    return n;
  };

  if (INITS.has(name) && !SUPERVISORS.has(name)) {
    node('init');
    const i = initChildIndex(resolved);
    walk(w, argv.slice(i), shiftOrigin(origin, i), false, depth + 1);
    return;
  }
  if (EXEC_WRAPPERS.has(name)) {
    node('exec-wrapper');
    const i = wrapperChildIndex(resolved);
    walk(w, argv.slice(i), shiftOrigin(origin, i), true, depth + 1);
    return;
  }
  if (PRIV_NAMES.has(name)) {
    node('priv-wrapper');
    const c = resolved.indexOf('-c');
    if (name !== 'sudo' && c >= 0 && c + 1 < resolved.length) {
      const sIdx = resolved.findIndex((a, i) => (a === '-s' || a === '--shell') && i + 1 < resolved.length);
      const shell = sIdx >= 0 ? resolved[sIdx + 1]! : '/bin/sh';
      shellNode(w, [shell, '-c', argv[c + 1]!], shiftOrigin(origin, c - 1), false, depth, (k, extra) => node(k, { ...extra, sameProcess: false, argv: [shell, '-c', resolved[c + 1]!], name: base(shell) }));
    } else if (name === 'sudo') {
      let i = 1;
      while (i < resolved.length && resolved[i]!.startsWith('-')) i += /^-[ugCDhprTU]$/.test(resolved[i]!) ? 2 : 1;
      walk(w, argv.slice(i), shiftOrigin(origin, i), false, depth + 1);
    }
    return;
  }
  if (SHELLS.has(name) || resolved[0] === '/bin/sh') {
    shellNode(w, resolved, origin, sameProcess, depth, node);
    return;
  }
  if (LAUNCHERS.has(name)) {
    const n = node('launcher');
    launcherChild(w, n, depth);
    return;
  }
  if (SUPERVISORS.has(name)) {
    node('supervisor', { configs: supervisorConfigs(w, resolved) });
    return;
  }
  // A program path that the context provides: follow its shebang.
  const file = programFile(w, resolved[0]!);
  if (file) {
    const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(file.text);
    const interp = shebang ? (base(shebang[1]!) === 'env' && shebang[2] ? shebang[2] : base(shebang[1]!)) : 'sh';
    if (SHELLS.has(interp) || !shebang) {
      scriptFileNode(w, file, interp === 'bash' ? 'bash' : 'sh', resolved.slice(1), sameProcess, origin, location, depth, node);
      return;
    }
    node('program', { entry: file });
    return;
  }
  if (!file && BASE_IMAGE_ENTRYPOINTS.has(name) && resolved.length > 1 && !resolved[1]!.startsWith('-')) {
    node('exec-wrapper');
    walk(w, argv.slice(1), shiftOrigin(origin, 1), true, depth + 1);
    return;
  }
  if (!file && /\.(sh|bash)$/.test(resolved[0]!) && !BASE_IMAGE_EXECS.has(name)) missingScript(w, resolved[0]!, location);
  const entry = interpreterEntry(resolved);
  const entryFile = entry ? fromContext(w, entry) : null;
  node('program', entryFile ? { entry: entryFile } : {});
}

function shellNode(w: Walk, argv: string[], origin: Origin, sameProcess: boolean, depth: number,
  node: (k: NodeKind, extra?: Partial<ChainNode>) => ChainNode): void {
  const dialect = /bash|zsh|ksh/.test(base(argv[0]!)) ? 'bash' : 'sh';
  const c = argv.findIndex((a, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(a));
  if (c > 0 && c + 1 < argv.length) {
    const script = inlineScript(w, origin, c + 1, argv[c + 1]!, dialect);
    node('shell', { script });
    followScript(w, script, argv.slice(c + 3), depth);
    return;
  }
  const fileArg = argv.slice(1).find((a) => !a.startsWith('-'));
  if (fileArg === undefined) {
    node('shell');
    return;
  }
  const idx = argv.indexOf(fileArg);
  const file = fromContext(w, fileArg);
  const location = originLocation(w, shiftOrigin(origin, idx));
  if (!file) {
    node('shell');
    missingScript(w, fileArg, location);
    return;
  }
  scriptFileNode(w, file, dialect, argv.slice(idx + 1), sameProcess, origin, location, depth, node);
}

/** A script PID 1 runs that the context does not provide: missing from the context, or from the base image. */
function missingScript(w: Walk, path: string, location: Location): void {
  const abs = path.startsWith('/') ? path : posix.join(w.stage.state.workdir, path);
  const copied = contextPathFor(w.stage, abs, (p) => w.ctx.isDir(p));
  if (copied !== null) {
    w.problems.push({ kind: 'script-not-found', location, message: `script '${path}' is copied from '${copied}', which is not in the build context` });
  } else {
    w.problems.push({ kind: 'script-not-in-context', location, message: `script '${path}' does not come from the build context (base image?), so it was not checked` });
  }
}

function inlineScript(w: Walk, from: Origin, index: number, code: string, dialect: 'bash' | 'sh'): Script {
  const origin = from.type === 'instruction' ? shiftOrigin(from, index) : from;
  if (origin.type === 'instruction') {
    const spec = origin.spec;
    if (spec.form === 'shell' && spec.script) {
      // With another escape character Docker joins continued lines before the shell sees them.
      const esc = w.model.escape;
      const text = esc === '\\' ? spec.script.text : spec.script.text.split(`${esc}\n`).join('').split(`${esc}\r\n`).join('');
      return track(w, makeScript(w.model.file.path, w.model.file.text, spec.script.offset, text, esc === '\\', dialect));
    }
    const s = spec.strings[origin.index];
    if (s) return track(w, makeScript(w.model.file.path, w.model.file.text, s.start + 1, s.value, s.plain, dialect));
  } else {
    const word = origin.command.words[origin.index + index];
    if (word) {
      const quoted = /^(["'])[^]*\1$/.test(word.raw) && word.raw.slice(1, -1) === word.value;
      const offset = origin.script.offset + word.start + (quoted ? 1 : 0);
      const editable = origin.script.editable && (quoted || word.raw === word.value);
      return track(w, makeScript(origin.script.file, origin.script.fileText, offset, word.value, editable, dialect));
    }
  }
  return track(w, makeScript(w.model.file.path, w.model.file.text, 0, code, false, dialect));
}

function track(w: Walk, s: Script): Script {
  w.scripts.push(s);
  if (s.parseError) {
    w.problems.push({ kind: 'script-parse-error', location: scriptLocation(s, s.parseError.offset), message: `cannot parse shell code: ${s.parseError.message}` });
  }
  return s;
}

function scriptFileNode(w: Walk, file: { path: string; text: string }, dialect: 'bash' | 'sh', args: string[], sameProcess: boolean,
  origin: Origin, location: Location, depth: number, node: (k: NodeKind, extra?: Partial<ChainNode>) => ChainNode): void {
  if (w.scripts.some((s) => s.file === file.path && s.offset === 0)) {
    node('shell', { location });
    return;
  }
  const script = track(w, makeScript(file.path, file.text, 0, file.text, true, dialect));
  w.nodes.push({ kind: 'shell', argv: [dialect, file.path, ...args], name: base(file.path), sameProcess, origin, location, script });
  followScript(w, script, args, depth);
}

/** Follows the command the script ends in: `exec X` replaces the shell, anything else is its child. */
function followScript(w: Walk, script: Script, args: string[], depth: number): void {
  const final = script.final;
  if (!final || final.kind !== 'simple' || final.words.length === 0) return;
  let words = final.words.map((x) => x.value);
  let index = 0;
  const exec = words[0] === 'exec';
  if (exec) {
    index = 1;
    while (words[index]?.startsWith('-')) index += words[index] === '-a' ? 2 : 1;
  }
  words = words.slice(index);
  if (words.length === 0) return;
  const origin: Origin = { type: 'command', script, command: final, index };
  if (words[0] === '$@' && final.words[index]!.raw === '"$@"') {
    if (args.length === 0) return;
    walkExpanded(w, args, origin, exec, depth);
    return;
  }
  walk(w, words, origin, exec, depth + 1);
}

/** `exec "$@"`: the args come from the Dockerfile CMD; locations point at the script line. */
function walkExpanded(w: Walk, args: string[], origin: Origin, exec: boolean, depth: number): void {
  const cmd = w.model.final.state.cmd;
  if (cmd && cmd.form === 'exec' && cmd.argv.length === args.length && cmd.argv.every((a, i) => a === args[i])) {
    walk(w, args, { type: 'instruction', spec: cmd, index: 0 }, exec, depth + 1);
    return;
  }
  if (cmd && cmd.form === 'shell') {
    walk(w, cmd.argv, { type: 'instruction', spec: cmd, index: 0 }, exec, depth + 1);
    return;
  }
  walk(w, args, origin, exec, depth + 1);
}

function launcherChild(w: Walk, n: ChainNode, depth: number): void {
  const a = n.argv;
  const sub = a[1] === 'run' || a[1] === 'run-script' ? a[2] : a[1];
  if (sub === undefined || !/^[\w:.-]+$/.test(sub) || n.name === 'npx') return;
  const pkg = fromContext(w, 'package.json');
  if (!pkg) return;
  let scripts: unknown;
  try {
    scripts = (JSON.parse(pkg.text) as { scripts?: unknown }).scripts;
  } catch {
    return;
  }
  const code = scripts && typeof scripts === 'object' ? (scripts as Record<string, unknown>)[sub] : undefined;
  if (typeof code !== 'string') return;
  const at = pkg.text.indexOf(JSON.stringify(code));
  const script = track(w, makeScript(pkg.path, pkg.text, Math.max(at, 0) + 1, code, false, 'sh'));
  w.nodes.push({ kind: 'shell', argv: ['sh', '-c', code], name: 'sh', sameProcess: false, origin: n.origin, location: scriptLocation(script, 0), script });
  followScript(w, script, [], depth + 1);
}

const SUPERVISOR_DEFAULTS = ['/etc/supervisor/supervisord.conf', '/etc/supervisord.conf', '/etc/supervisor/conf.d/supervisord.conf'];

function supervisorConfigs(w: Walk, argv: string[]): { path: string; text: string }[] {
  const c = argv.findIndex((a) => a === '-c' || a === '--configuration');
  const eq = argv.find((a) => a.startsWith('--configuration='));
  const given = c >= 0 ? argv[c + 1] : eq?.slice('--configuration='.length);
  const out: { path: string; text: string }[] = [];
  for (const p of given ? [given] : SUPERVISOR_DEFAULTS) {
    const f = fromContext(w, p);
    if (f) out.push(f);
  }
  for (const copy of w.stage.state.copies) {
    if (!copy.dest.includes('/supervisor')) continue;
    for (const src of copy.sources) {
      const text = src.endsWith('.conf') ? w.ctx.read(src) : undefined;
      if (text !== undefined && !out.some((o) => o.path === src)) out.push({ path: src, text });
    }
  }
  return out;
}

export function pid1Argv(model: DockerfileModel): { argv: string[]; spec: ExecSpec } | null {
  const { entrypoint, cmd } = model.final.state;
  if (entrypoint) {
    const tail = entrypoint.form === 'exec' && cmd ? cmd.argv : [];
    return { argv: [...entrypoint.argv, ...tail], spec: entrypoint };
  }
  return cmd ? { argv: cmd.argv, spec: cmd } : null;
}

export function resolveChain(model: DockerfileModel, ctx: BuildContext): Chain {
  const vars = new Map([...model.final.state.env].map(([k, v]) => [k, v.value] as [string, string]));
  const w: Walk = { model, ctx, stage: model.final, vars, nodes: [], scripts: [], problems: [] };
  const start = pid1Argv(model);
  if (start) {
    const { entrypoint, cmd } = model.final.state;
    const next = entrypoint && entrypoint.form === 'exec' && cmd ? cmd : undefined;
    walk(w, start.argv, { type: 'instruction', spec: start.spec, index: 0, ...(next ? { next } : {}) }, true, 0);
  }
  return { nodes: w.nodes, scripts: w.scripts, problems: w.problems };
}

/** The node that is PID 1 in the end: the last one reached from the root through exec only. */
export function pid1Node(chain: Chain): ChainNode | null {
  let last: ChainNode | null = null;
  for (const n of chain.nodes) {
    if (last !== null && !n.sameProcess) break;
    if (n.kind !== 'exec-wrapper') last = n;
  }
  return last;
}
