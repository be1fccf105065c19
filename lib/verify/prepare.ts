// The phase between PID 1 appearing and the stop signal, the same for both backends: wait for
// readiness and a quiet tree, record the tree, pick the crash target, start the in-flight request.
import { crashTarget, type CrashOption } from './follow-ups.ts';
import { startInflight, type InflightOptions, type InflightRequest } from './inflight.ts';
import type { BoundedCapture } from './output.ts';
import { pidNamespaceOf, processesInNamespace } from './procfs.ts';
import { waitReady, type ReadinessProbe } from './readiness.ts';
import type { Readiness, StopReport } from './report.ts';
import type { ProcessWatcher } from './watch.ts';

/** After the readiness probe passes, the stop waits for a tree this quiet (no fork/exec/exit). */
const SETTLE_QUIET_MS = 150;
const SETTLE_MAX_MS = 3000;

export interface PrepareInput {
  watcher: ProcessWatcher;
  pid1: number;
  readiness: ReadinessProbe;
  /** stdout+stderr, for log readiness probes. */
  output: BoundedCapture;
  /** Resolves when PID 1 is gone (the service exited before it was stopped). */
  gone: Promise<unknown>;
  running: () => boolean;
  crash?: CrashOption;
  inflight?: InflightOptions;
  graceSeconds: number;
  notes: string[];
}

export interface Prepared {
  readiness: Readiness;
  treeBeforeStop: StopReport['treeBeforeStop'];
  crashed: StopReport['crashed'];
  /** Already sent (the stop may follow); its result settles during the stop. */
  request: InflightRequest | null;
}

export async function prepareStop(input: PrepareInput): Promise<Prepared> {
  const { watcher, pid1, notes } = input;
  watcher.follow(pid1);
  let readiness = await waitReady(input.readiness, input.output, input.gone);
  if (readiness.ok && !(await watcher.settle(SETTLE_QUIET_MS, SETTLE_MAX_MS))) {
    notes.push(`the process tree was still changing ${SETTLE_MAX_MS} ms after readiness`);
  }
  const namespace = pidNamespaceOf(pid1);
  const treeBeforeStop = namespace === null ? [] : processesInNamespace(namespace);
  let crashed: StopReport['crashed'] = null;
  const target = input.crash ? crashTarget(treeBeforeStop, pid1, input.crash) : null;
  if (typeof target === 'string') readiness = { ...readiness, ok: false, detail: target };
  else crashed = target;
  const request = input.inflight && readiness.ok && input.running()
    ? startInflight(input.inflight, (input.graceSeconds + 5) * 1000)
    : null;
  if (request) await Promise.race([request.sent, input.gone]);
  return { readiness, treeBeforeStop, crashed, request };
}
