import { finding, commandLocation, stopTraps, backgroundJobs, hasExitTrap, isExec, topLevel, scriptEdit, type MigrateRule } from './util.ts';
import { daemonizedChild } from './daemonized-child.ts';
import type { Edit } from '../types.ts';
import type { Script } from '../script.ts';
import type { Command } from '../shell.ts';

const RECORD = ' job_pids="$job_pids $!"';

/**
 * Records every `&` job's PID, runs the last command as a job too, and ends in a trap that forwards
 * the stop signal to all of them plus two waits: the first returns when the trap runs, the second
 * when every job has exited. Only for plain `&` jobs at the top level of a script without traps.
 */
function forwardAndWait(s: Script, jobs: Command[]): Edit[] | null {
  const f = s.final;
  if (!f || f.kind !== 'simple' || f.after === '&' || f.before === '|' || f.after === '|' || isExec(f)) return null;
  if (hasExitTrap(s) || jobs.some((j) => j.kind !== 'simple')) return null;
  const lineStart = s.text.lastIndexOf('\n', f.start - 1) + 1;
  const indent = /^[ \t]*/.exec(s.text.slice(lineStart))![0];
  if (f.start !== lineStart + indent.length) return null;
  const edits: Edit[] = [];
  for (const j of jobs) {
    const amp = /^[ \t]*&/.exec(s.text.slice(j.end));
    const e = amp ? scriptEdit(s, j.end + amp[0].length, j.end + amp[0].length, RECORD) : null;
    if (!e) return null;
    edits.push(e);
  }
  const tail = [
    ` &${RECORD}`,
    `${indent}trap 'kill -TERM $job_pids 2>/dev/null' TERM INT`,
    `${indent}# A trapped signal ends the first wait; the second lasts until every job has exited.`,
    `${indent}wait`,
    `${indent}wait`,
  ].join('\n');
  const e = scriptEdit(s, f.end, f.end, tail);
  return e ? [...edits, e] : null;
}

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
      const edits = detached.length === 0 ? forwardAndWait(s, jobs) : null;
      return [finding(this, first, `${count} background process${count > 1 ? 'es' : ''} started here${last ? ` and the script then blocks in \`${last.words[0]?.value ?? last.kind}\`` : ''}; no trap forwards the stop signal or waits for them`, {
        edits,
        manual: edits
          ? 'The shell now forwards the stop signal and waits; it does not stop the others when one service dies: a process manager that is PID 1 does.'
          : 'Make a process manager PID 1 (e.g. supervisord with one [program] per service and an eventlistener that stops it when one dies), or trap TERM, kill the recorded PIDs and `wait` for them.',
      })];
    });
  },
} satisfies MigrateRule;
