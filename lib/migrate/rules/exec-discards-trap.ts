import { finding, isExec, commandLocation, stopTraps, backgroundJobs, type MigrateRule } from './util.ts';

export const execDiscardsTrap = {
  id: 'PID1006',
  name: 'exec-discards-trap',
  severity: 'warning',
  title: '`exec` replaces a shell that set traps or started background jobs',
  why: 'After `exec` the traps are gone and the background jobs have a parent that does not know them; their cleanup never runs and they are SIGKILLed when PID 1 exits.',
  fix: 'Either keep the shell as a supervisor (background + `wait`, forward signals in the trap) or move the background jobs out (one process per container, or a process manager).',
  detect(m) {
    return m.chain.nodes.flatMap((n) => {
      const s = n.script;
      if (n.kind !== 'shell' || !s?.parsed || !s.final || !isExec(s.final) || s.final.words.length < 2) return [];
      const traps = stopTraps(s, s.final);
      const jobs = backgroundJobs(s, s.final);
      if (traps.length === 0 && jobs.length === 0) return [];
      const what = traps.length > 0 ? `the trap on line ${commandLocation(s, traps[0]!).line}` : `the background job on line ${commandLocation(s, jobs[0]!).line}`;
      return [finding(this, commandLocation(s, s.final), `\`exec\` discards ${what}`, {
        manual: 'Decide who stops the background work: keep the shell in `wait` with a forwarding trap, or run it under a process manager.',
      })];
    });
  },
} satisfies MigrateRule;
