import { finding, type MigrateRule } from './util.ts';
import { stopSignalEdit } from './stop-insert.ts';
import { addInitEdits } from './add-init.ts';
import type { ImageModel } from '../model.ts';

const PY = /^python[0-9.]*$/;
const NODE = /^(node|nodejs)$/;
// Keep-alive programs with no signal handling at all.
const KEEPALIVE = /^(sleep|tail|cat|pause)$/;

/** Source files of the same language that the image copies in: a handler may live in a module. */
function sources(m: ImageModel, ext: RegExp, entry: { path: string; text: string }): string {
  const paths = new Set<string>([entry.path]);
  for (const c of m.dockerfile.final.state.copies) {
    if (c.fromStage !== null) continue;
    for (const src of c.sources) {
      for (const p of m.ctx.isDir(src) || src === '' ? m.ctx.list(src) : [src]) if (ext.test(p)) paths.add(p);
    }
  }
  return [...paths].slice(0, 200).map((p) => (p === entry.path ? entry.text : m.ctx.read(p) ?? '')).join('\n');
}

/** Code without comments, so that a comment mentioning a handler does not count as one. */
function code(text: string, lang: 'python' | 'node'): string {
  return lang === 'node' ? text.replace(/\/\*[^]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1') : text.replace(/^\s*#.*$/gm, '');
}

/** A handler is installed somewhere and the signal is named: `for sig in (SIGTERM, SIGINT): loop.add_signal_handler(sig, ...)` counts. */
function handles(text: string, lang: 'python' | 'node', signal: string): boolean {
  const named = new RegExp(`\\b${signal}\\b`).test(text);
  if (lang === 'node') return named && /process\.(on|once|addListener|prependListener)\(/.test(text);
  return named && /signal\.signal\(|add_signal_handler\(|signal\.Signals\b/.test(text);
}

export const noSignalHandler = {
  id: 'PID1017',
  name: 'pid1-no-signal-handler',
  severity: 'error',
  title: 'The app is PID 1 and has no handler for the stop signal',
  why: 'The kernel drops a signal with the default action for PID 1; Node and Python install no SIGTERM handler, so the app ignores the stop, is SIGKILLed after the grace period and its cleanup never runs.',
  fix: 'Add a handler that shuts down and exits (our runtime templates provide one); for Python, `STOPSIGNAL SIGINT` also works because CPython turns SIGINT into KeyboardInterrupt.',
  detect(m) {
    const p = m.pid1;
    if (p && p.kind === 'program' && KEEPALIVE.test(p.name)) {
      return [finding(this, p.location, `\`${p.name}\` is PID 1 and has no handler: it ignores ${m.stopSignal.name} until the SIGKILL`, {
        manual: 'Put an init in front (`ENTRYPOINT ["tini", "--"]`), or keep the container alive from a shell that traps the signal: `trap "exit 0" TERM; sleep infinity & wait`.',
      })];
    }
    if (!p || p.kind !== 'program' || !p.entry) return [];
    const lang = PY.test(p.name) ? 'python' : NODE.test(p.name) ? 'node' : null;
    if (!lang) return [];
    const src = code(sources(m, lang === 'python' ? /\.py$/ : /\.(c|m)?js$/, p.entry), lang);
    const sig = m.stopSignal.name;
    if (handles(src, lang, sig)) return [];
    // CPython's own SIGINT handler raises KeyboardInterrupt, which runs finally blocks and atexit.
    if (lang === 'python' && sig === 'SIGINT' && !/SIGINT/.test(src)) return [];
    const pySigint = lang === 'python' && !/SIGINT|KeyboardInterrupt/.test(src);
    const handler = `Add a ${sig} handler to ${p.entry.path} that stops accepting, drains, cleans up and exits; \`graceful new <dir> --runtime ${lang} --yes\` generates a service from our templates whose shutdown() you can copy.`;
    // Python: SIGINT runs finally blocks and atexit. Node: under an init the default action at
    // least ends the process at once, but nothing cleans up until the app has a handler.
    const edits = pySigint ? [stopSignalEdit(m, 'SIGINT')] : lang === 'node' ? addInitEdits(m) : null;
    return [finding(this, p.location, `${p.entry.path} has no ${sig} handler and runs as PID 1, so ${sig} is ignored`, {
      edits,
      manual: pySigint
        ? `STOPSIGNAL SIGINT makes Python raise KeyboardInterrupt; a SIGTERM handler in ${p.entry.path} is still better where the stop signal cannot be chosen.`
        : edits ? `tini now ends node on ${sig} without cleanup. ${handler}` : handler,
    })];
  },
} satisfies MigrateRule;
