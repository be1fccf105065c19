// Turns what the watcher saw into per-process fates. The only inference: a SIGKILL death in the
// burst that ends with PID 1's own exit is the kernel's namespace teardown (zap_pid_ns_processes
// kills the rest while PID 1 is inside do_exit, before the connector reports PID 1's exit). A PID 1
// that SIGKILLs a child and exits at once, with nothing in between, is indistinguishable from it.
import type { ProcessFate, ZombieSighting, StopReport } from './report.ts';
import { signalName } from './signals.ts';
import type { ProcessWatcher, WatchedProcess } from './watch.ts';

/** Generous: on a loaded machine the victims of one teardown can take a while to be scheduled. */
const TEARDOWN_WINDOW_NS = 1_000_000_000n;
const SIGKILL = 9;
/** Zombies seen for less than this were being reaped normally, not accumulating. */
const ZOMBIE_MIN_NS = 100_000_000n;

export interface FateInputs {
  watcher: ProcessWatcher;
  pid1: number;
  stopNs: bigint;
  /** When PID 1's exit was seen (exact or approximate), if it was. */
  pid1ExitNs: bigint | null;
  /** When the stopper SIGKILLed PID 1, if it had to. */
  stopperKillNs: bigint | null;
}

const msSince = (from: bigint, to: bigint) => Number(to - from) / 1e6;

/**
 * Walks back from PID 1's exit through the unbroken run of SIGKILL deaths that precedes it: no
 * fork, exec or other exit in between (PID 1 was already inside do_exit), within the window.
 */
function teardownVictims(inputs: FateInputs): Set<number> {
  const victims = new Set<number>();
  const { pid1ExitNs, watcher, pid1 } = inputs;
  if (pid1ExitNs === null) return victims;
  if (watcher.method === 'proc-polling') {
    // Gone in a poll that no longer found PID 1 running: the namespace took them down with it.
    const pid1LastRunning = watcher.processes.get(pid1)?.lastSeenRunningNs ?? pid1ExitNs;
    for (const p of watcher.processes.values()) {
      if (p.pid !== pid1 && p.exit && !p.exit.exact && p.exit.atNs > pid1LastRunning) victims.add(p.pid);
    }
    return victims;
  }
  // A victim's exit can be reported just after PID 1's: do_exit makes it reapable before it emits
  // its connector event. Nothing but the teardown kills anything once PID 1 is gone.
  for (const event of watcher.timeline) {
    if (event.kind === 'exit' && event.signal === SIGKILL && event.atNs > pid1ExitNs && event.pid !== pid1) victims.add(event.pid);
  }
  const before = watcher.timeline.filter((e) => e.atNs <= pid1ExitNs && !(e.pid === pid1 && e.kind === 'exit'));
  for (let i = before.length - 1; i >= 0; i--) {
    const event = before[i]!;
    const afterStopperKill = inputs.stopperKillNs !== null && event.atNs >= inputs.stopperKillNs;
    const inWindow = pid1ExitNs - event.atNs <= TEARDOWN_WINDOW_NS;
    if (event.kind !== 'exit' || event.pid === pid1 || event.signal !== SIGKILL || !(afterStopperKill || inWindow)) break;
    victims.add(event.pid);
  }
  return victims;
}

function fateOf(p: WatchedProcess, victims: Set<number>): ProcessFate['fate'] {
  if (victims.has(p.pid)) return { kind: 'killed-at-teardown' };
  if (p.exit === null) return { kind: 'alive' };
  if (p.exit.signal !== null) return { kind: 'signaled', signal: signalName(p.exit.signal) ?? `signal ${p.exit.signal}` };
  if (p.exit.code !== null) return { kind: 'exited', code: p.exit.code };
  return { kind: 'ended-unobserved' };
}

export function buildFates(inputs: FateInputs): Pick<StopReport, 'fates' | 'sigkilled' | 'zombies'> {
  const { watcher, pid1, stopNs } = inputs;
  const victims = teardownVictims(inputs);
  const fates: ProcessFate[] = [];
  const sigkilled: StopReport['sigkilled'] = [];
  const zombies: ZombieSighting[] = [];
  // Forks that ended before PID 1's last exec belong to the runtime's setup (runc init), not the service.
  const pid1Execs = watcher.timeline.filter((e) => e.pid === pid1 && e.kind === 'exec' && e.atNs <= stopNs);
  const serviceStartNs = pid1Execs.at(-1)?.atNs ?? null;
  const ordered = [...watcher.processes.values()]
    .filter((p) => serviceStartNs === null || p.exit === null || p.exit.atNs >= serviceStartNs)
    .sort(
    (a, b) => Number(b.pid === pid1) - Number(a.pid === pid1) || Number(a.firstSeenNs - b.firstSeenNs),
  );
  for (const p of ordered) {
    const isPid1 = p.pid === pid1;
    const fate = fateOf(p, victims);
    const comm = p.info?.comm ?? '?';
    fates.push({
      pid: p.pid,
      nsPid: p.info?.nsPid ?? (isPid1 ? 1 : null),
      ppid: p.ppid,
      comm,
      argv: p.info?.argv ?? [],
      isPid1,
      runningAtStop: p.firstSeenNs <= stopNs && (p.exit === null || p.exit.atNs > stopNs),
      fate,
      endedAtMs: p.exit ? msSince(stopNs, p.exit.atNs) : null,
    });
    if (fate.kind === 'killed-at-teardown') sigkilled.push({ pid: p.pid, comm, by: 'kernel-teardown' });
    else if (fate.kind === 'signaled' && fate.signal === 'SIGKILL') {
      sigkilled.push({ pid: p.pid, comm, by: isPid1 && inputs.stopperKillNs !== null ? 'stopper' : 'unknown' });
    }
    if (p.zombieFirstNs !== null && p.zombieLastNs !== null && p.zombieLastNs - p.zombieFirstNs >= ZOMBIE_MIN_NS) {
      zombies.push({
        pid: p.pid,
        comm,
        firstSeenMs: msSince(stopNs, p.zombieFirstNs),
        lastSeenMs: msSince(stopNs, p.zombieLastNs),
        beforeStop: p.zombieFirstNs < stopNs,
      });
    }
  }
  return { fates, sigkilled, zombies };
}
