import { finding, commandLocation, stopTraps, backgroundJobs, isExec, topLevel, type MigrateRule } from './util.ts';
import { daemonizedChild } from './daemonized-child.ts';

export const backgroundChildren = {
  id: 'PID1008',
  name: 'background-children-unmanaged',
  severity: 'error',
  title: 'Background services with nobody to stop them',
  why: 'Processes started with `&` or that daemonize are not told about the stop: the shell has no trap that forwards the signal and waits, so they are SIGKILLed when PID 1 exits or the grace period ends.',
  fix: 'Run several services under an init or process manager that forwards the stop signal and waits for all of them (supervisord as PID 1 with fail-fast, or one service per container).',
  detect(m) {
    const daemons = daemonizedChild.detect(m);
    return m.chain.nodes.flatMap((n) => {
      const s = n.script;
      if (n.kind !== 'shell' || !s?.parsed || !s.final) return [];
      if (isExec(s.final) && s.final.words.length > 1) return [];
      const jobs = backgroundJobs(s);
      const detached = daemons.filter((d) => d.location.file === s.file);
      if (jobs.length + detached.length === 0 || stopTraps(s).length > 0) return [];
      const first = jobs[0] ? commandLocation(s, jobs[0]) : detached[0]!.location;
      const count = jobs.length + detached.length;
      const last = topLevel(s).at(-1);
      return [finding(this, first, `${count} background process${count > 1 ? 'es' : ''} started here${last ? ` and the script then blocks in \`${last.words[0]?.value ?? last.kind}\`` : ''}; no trap forwards the stop signal or waits for them`, {
        manual: 'Make a process manager PID 1 (e.g. supervisord with one [program] per service and an eventlistener that stops it when one dies), or trap TERM, kill the recorded PIDs and `wait` for them.',
      })];
    });
  },
} satisfies MigrateRule;
