import type { Edit } from '../types.ts';
import { finding, scriptEdit, type MigrateRule } from './util.ts';
import type { ChainNode } from '../chain.ts';

/** The package script as a plain argv, when it is one simple command without shell features. */
function plainArgv(child: ChainNode | undefined): string[] | null {
  const c = child?.script?.parsed?.commands;
  if (!c || c.length !== 1 || c[0]!.kind !== 'simple') return null;
  const cmd = c[0]!;
  if (cmd.redirects.length > 0 || cmd.after) return null;
  if (![...cmd.assignments, ...cmd.words].every((w) => w.raw === w.value && !w.dynamic)) return null;
  const words = cmd.words.map((w) => w.value);
  const argv = words[0] === 'exec' ? words.slice(1) : words;
  // `NODE_ENV=production node x` keeps its variables through env(1), which execs in place.
  return cmd.assignments.length > 0 ? ['env', ...cmd.assignments.map((a) => a.value), ...argv] : argv;
}

export const packageManagerWrapper = {
  id: 'PID1003',
  name: 'package-manager-wrapper',
  severity: 'error',
  title: 'Started through npm/yarn/pnpm',
  why: 'The package manager stays in the process tree as the parent of `sh -c` and the app; whether it forwards SIGTERM and waits for the child depends on its version, so the app is often never told to stop.',
  fix: 'Run the command from the package script directly (`node server.js`).',
  detect(m) {
    return m.chain.nodes.flatMap((n, i) => {
      if (n.kind !== 'launcher') return [];
      const child = m.chain.nodes[i + 1];
      const argv = child?.origin === n.origin ? plainArgv(child) : null;
      const sub = n.argv[1] === 'run' || n.argv[1] === 'run-script' ? n.argv[2] : n.argv[1];
      const count = n.argv[1] === 'run' || n.argv[1] === 'run-script' ? 3 : 2;
      let edits: Edit[] | null = null;
      const o = n.origin;
      if (argv && n.argv.length === count) {
        if (o.type === 'instruction' && o.spec.form === 'exec') {
          const first = o.spec.strings[o.index];
          const last = o.spec.strings[o.index + count - 1];
          if (first && last && o.index + count === o.spec.strings.length) {
            edits = [{ file: m.dockerfile.file.path, start: first.start, end: last.end, text: argv.map((a) => JSON.stringify(a)).join(', ') }];
          }
        } else if (o.type === 'command') {
          const first = o.command.words[o.index];
          const last = o.command.words[o.index + count - 1];
          const e = first && last && o.index + count === o.command.words.length ? scriptEdit(o.script, first.start, last.end, argv.join(' ')) : null;
          edits = e ? [e] : null;
        }
      }
      return [finding(this, n.location, `\`${n.argv.join(' ')}\` keeps ${n.name} as the parent of the app${sub ? ` (script "${sub}")` : ''}`, {
        edits,
        manual: edits ? undefined : 'Replace the package-manager call with the command its script runs, e.g. `["node", "server.js"]`.',
      })];
    });
  },
} satisfies MigrateRule;
