import { finding, backgroundJobs, stopTraps, type MigrateRule } from './util.ts';
import { daemonizedChild } from './daemonized-child.ts';

export const initSingleChild = {
  id: 'PID1020',
  name: 'init-single-child-only',
  severity: 'warning',
  title: 'Init forwards only to its child, not to the processes that child started',
  why: 'tini (and dumb-init for other sessions) signals only its direct child and exits as soon as that child exits; background jobs and daemons started by the child are never signalled and are SIGKILLed when the init exits.',
  fix: 'Have the child forward and wait (trap TERM, kill the jobs, `wait`), or use a process manager that supervises every service.',
  detect(m) {
    const daemons = daemonizedChild.detect(m);
    return m.chain.nodes.flatMap((n, i) => {
      if (n.kind !== 'init' || (n.name.startsWith('tini') && n.argv.includes('-g'))) return [];
      const child = m.chain.nodes.slice(i + 1).find((x) => !x.sameProcess || x === m.chain.nodes[i + 1]);
      const s = child?.kind === 'shell' ? child.script : undefined;
      if (!s?.parsed || stopTraps(s).length > 0) return [];
      const jobs = backgroundJobs(s).length + daemons.filter((d) => d.location.file === s.file).length;
      if (jobs === 0) return [];
      return [finding(this, n.location, `${n.name} signals only ${child!.name}; the ${jobs} background process${jobs > 1 ? 'es' : ''} it starts never get the stop signal`, {
        manual: `Trap TERM in ${s.file}, forward it to the jobs and \`wait\` for them, or run them under a process manager.`,
      })];
    });
  },
} satisfies MigrateRule;
