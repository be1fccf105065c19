import { finding, commandLocation, stopTraps, backgroundJobs, hasExitTrap, isExec, topLevel, scriptEdit, type MigrateRule } from './util.ts';
import { daemonizedChild } from './daemonized-child.ts';
import type { Edit } from '../types.ts';
import type { Script } from '../script.ts';
import type { Command } from '../shell.ts';
import type { ImageModel } from '../model.ts';
import type { ChainNode } from '../chain.ts';

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

/** Seconds the stop-everything trap waits before it SIGKILLs what is left (below Kubernetes' 30 s grace). */
export const STOP_ALL_LIMIT_S = 25;

/** Keep-alives that do the same in the background: `tail -f FILE...`, `sleep N`, `while true` loops. */
function backgroundableKeepAlive(s: Script, f: Command): boolean {
  const argv = f.words.map((w) => w.value);
  if (f.kind === 'compound') {
    const cond = /^(while|until)[ \t]+(\S+)[ \t]*(;|\n)/.exec(s.text.slice(f.start, f.end));
    return cond !== null && (cond[1] === 'while' ? /^(true|:)$/ : /^false$/).test(cond[2]!);
  }
  if (f.kind !== 'simple' || f.assignments.length > 0) return false;
  if (argv[0] === 'sleep') return argv.length === 2;
  // tail must follow files: without operands it would follow stdin, which a background job does not have.
  return argv[0] === 'tail' && argv.slice(1).some((a) => /^(-[a-zA-Z]*[fF][a-zA-Z]*|--follow(=.*)?)$/.test(a))
    && argv.slice(1).some((a) => !a.startsWith('-'));
}

function stopAllBlock(indent: string, signals: string): string[] {
  const ticks = STOP_ALL_LIMIT_S * 10;
  return [
    '# Added by graceful migrate: this script is PID 1 and services it starts daemonize, so it knows',
    '# none of their PIDs. On the stop signal, send TERM to every other process of the container',
    '# (kill -1 from PID 1 reaches them all, in any session), wait until none is left and exit 0.',
    `# After ${STOP_ALL_LIMIT_S} s (keep it below the stop grace period) or on a second signal, SIGKILL the rest, exit 1.`,
    'graceful_stop() {',
    `  trap 'kill -KILL -1 2>/dev/null; exit 1' ${signals}`,
    '  kill -TERM -1 2>/dev/null || :',
    '  graceful_ticks=0',
    '  while kill -0 -1 2>/dev/null; do',
    `    if [ "$graceful_ticks" -ge ${ticks} ]; then kill -KILL -1 2>/dev/null; exit 1; fi`,
    '    sleep 0.1',
    '    graceful_ticks=$((graceful_ticks + 1))',
    '  done',
    '  exit 0',
    '}',
    `trap graceful_stop ${signals}`,
  ].map((l) => indent + l);
}

const TRAPPABLE = /^SIG(TERM|INT|QUIT|HUP|USR1|USR2|WINCH)$/;

/**
 * For a script that is PID 1 and starts self-daemonizing services: runs the keep-alive in the
 * background and blocks in `wait`; a trap on the stop signal sends TERM to every other process of
 * the PID namespace and waits (bounded) until they are gone. Null when the script is not PID 1.
 */
function stopAllAsPid1(m: ImageModel, n: ChainNode, s: Script, jobs: Command[]): Edit[] | null {
  const f = s.final;
  if (!f || m.pid1 !== n || s.offset !== 0 || s.file === m.dockerfile.file.path || !s.editable) return null;
  if (hasExitTrap(s) || /\bgraceful_(stop|ticks)\b/.test(s.text) || !TRAPPABLE.test(m.stopSignal.name)) return null;
  if (f.after === '&' || f.after === '|' || f.after === '|&' || (f.before !== null && f.before !== '\n' && f.before !== ';')) return null;
  const lineStart = s.text.lastIndexOf('\n', f.start - 1) + 1;
  const indent = /^[ \t]*/.exec(s.text.slice(lineStart))![0];
  if (f.start !== lineStart + indent.length) return null;
  // `a &&` / `a |` on the line before: a `&` would background the whole list.
  const prev = topLevel(s).filter((c) => c.end <= f.start).at(-1);
  if (prev && prev.after !== null && prev.after !== '\n' && prev.after !== ';' && prev.after !== '&') return null;
  const nl = s.text.indexOf('\n', f.end);
  const lineEnd = nl < 0 ? s.text.length : nl;
  const rest = s.text.slice(f.end, lineEnd);
  if (!/^[ \t]*(#.*)?$/.test(rest)) return null;
  const signals = [...new Set([m.stopSignal.name.slice(3), 'INT'])].join(' ');
  const block = stopAllBlock(indent, signals);
  const isWait = f.kind === 'simple' && f.words.length === 1 && f.words[0]!.value === 'wait' && f.redirects.length === 0;
  if (isWait) {
    // A bare `wait` keeps the container alive only while `&` jobs run.
    if (jobs.length === 0) return null;
    const e = scriptEdit(s, lineStart, lineStart, block.join('\n') + '\n');
    return e ? [e] : null;
  }
  if (!backgroundableKeepAlive(s, f)) return null;
  const e = scriptEdit(s, f.end, lineEnd, ` &${rest}\n${[...block, `${indent}wait`].join('\n')}`);
  return e ? [e] : null;
}

export const backgroundChildren = {
  id: 'PID1008',
  name: 'background-children-unmanaged',
  severity: 'error',
  title: 'Background services with nobody to stop them',
  why: 'Processes started with `&` or that daemonize are not told about the stop: the shell has no trap that forwards the signal and waits (a daemon\'s PID is not even known to it), so they are SIGKILLed when PID 1 exits or the grace period ends.',
  fix: `Run several services under an init or process manager that forwards the stop signal and waits for all of them (supervisord as PID 1 with fail-fast, or one service per container). Automatic fix for \`&\` jobs: record their PIDs, forward the signal, \`wait\`. For daemons, when the script is PID 1: the keep-alive (\`tail -f\`, \`sleep\`, \`while true\` loop) goes to the background and the script blocks in \`wait\`; a trap on the stop signal sends TERM to every other process (\`kill -TERM -1\`), waits until none is left (\`kill -0 -1\` fails) and exits 0, SIGKILLing the rest after ${STOP_ALL_LIMIT_S} s.`,
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
      const stopAll = detached.length > 0;
      const edits = stopAll ? stopAllAsPid1(m, n, s, jobs) : forwardAndWait(s, jobs);
      return [finding(this, first, `${count} background process${count > 1 ? 'es' : ''} started here${last ? ` and the script then blocks in \`${last.words[0]?.value ?? last.kind}\`` : ''}; no trap forwards the stop signal or waits for them`, {
        edits,
        manual: edits
          ? (stopAll
            ? `On the stop signal the script now sends TERM to every other process and waits for them (at most ${STOP_ALL_LIMIT_S} s); it does not stop the container when one service dies: a process manager that is PID 1 does.`
            : 'The shell now forwards the stop signal and waits; it does not stop the others when one service dies: a process manager that is PID 1 does.')
          : 'Make a process manager PID 1 (e.g. supervisord with one [program] per service and an eventlistener that stops it when one dies), or trap TERM, kill the recorded PIDs and `wait` for them.'
            + (stopAll ? ' Daemons have no recorded PID: with the script as PID 1 (no init or shell in front, exec form) the trap can `kill -TERM -1` and wait while `kill -0 -1` succeeds.' : ''),
      })];
    });
  },
} satisfies MigrateRule;
