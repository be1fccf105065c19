import { finding, execInsertion, isExec, commandLocation, stopTraps, backgroundJobs, isKeepAlive, type MigrateRule } from './util.ts';
import { base, PRIV_NAMES } from '../chain.ts';

export const noExecInEntrypoint = {
  id: 'PID1004',
  name: 'no-exec-in-entrypoint',
  severity: 'error',
  title: 'Script runs its main command without `exec`',
  why: 'The script\'s shell stays PID 1 and runs the long-lived program as a child; the shell has no handler, so the stop signal is dropped and the program is SIGKILLed.',
  fix: 'Put `exec` before the last command so the program replaces the shell and receives the stop signal itself.',
  detect(m) {
    return m.chain.nodes.flatMap((n) => {
      const s = n.script;
      if (n.kind !== 'shell' || !s?.parsed || !s.final || s.offset !== 0 || s.file === m.dockerfile.file.path) return [];
      const f = s.final;
      if (f.kind !== 'simple' || isExec(f) || isKeepAlive(f) || PRIV_NAMES.has(base(f.words[0]?.value ?? ''))) return [];
      if (stopTraps(s, f).length > 0 || backgroundJobs(s, f).length > 0) return [];
      if (f.before === '|' || f.after === '|' || f.after === '&') return [];
      const e = execInsertion(s);
      return [finding(this, commandLocation(s, f), `\`${f.words.map((w) => w.value).slice(0, 3).join(' ')}\` runs as a child of the script's shell, which stays PID 1`, {
        edits: e ? [e] : null,
        manual: e ? undefined : 'End the script with `exec <command>`.',
      })];
    });
  },
} satisfies MigrateRule;
