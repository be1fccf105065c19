import { buildFates } from './fates.ts';
import type { BoundedCapture } from './output.ts';
import type { StopReport } from './report.ts';
import type { ProcessWatcher } from './watch.ts';

export interface Observation extends Omit<StopReport, 'method' | 'stopMs' | 'sigkillNeeded' | 'fates' | 'sigkilled' | 'zombies' | 'stdout' | 'stderr'> {
  watcher: ProcessWatcher;
  stopNs: bigint;
  pid1ExitNs: bigint | null;
  stopperKillNs: bigint | null;
  stdout: BoundedCapture;
  stderr: BoundedCapture;
}

/** Waits for the last exit events, stops the watcher and turns the observation into a report. */
export async function assembleReport(observation: Observation): Promise<StopReport> {
  const { watcher, stopNs, pid1ExitNs, stopperKillNs, stdout, stderr, ...rest } = observation;
  await watcher.waitForAllExits(1000);
  await watcher.stop();
  for (const note of watcher.notes) if (!rest.notes.includes(note)) rest.notes.push(note);
  const pid1 = rest.pid1HostPid;
  const fates = pid1 === null ? { fates: [], sigkilled: [], zombies: [] } : buildFates({ watcher, pid1, stopNs, pid1ExitNs, stopperKillNs });
  const stopped = rest.signalsSent.length > 0 && pid1ExitNs !== null;
  return {
    ...rest,
    method: watcher.method,
    stopMs: stopped ? Number(pid1ExitNs - stopNs) / 1e6 : null,
    sigkillNeeded: stopperKillNs !== null,
    ...fates,
    stdout: stdout.result(),
    stderr: stderr.result(),
  };
}
