// Checks a StopReport against the shutdown contract in PRIMER.md. Violations carry the number of
// the contract point they break; 0 means the run itself was unusable (never ready, exited early).
import { existsSync } from 'node:fs';
import type { ProcessFate, StopReport } from './report.ts';
import { signalNumber } from './signals.ts';

export interface Expectations {
  /** Point 5. Default [0]. */
  expectedExitCodes?: number[];
  /** Point 4: from stop signal to PID 1's exit. Default 1000 ms (an idle service). */
  maxStopMs?: number;
  /** Point 2: cleanup markers that must appear in stdout or stderr. */
  requiredOutput?: (string | RegExp)[];
  /** Point 2: cleanup marker files (host paths) that must exist after the stop. */
  requiredFiles?: string[];
  /** Point 4: the request started before the stop must complete (with its expected status). */
  inflightMustComplete?: boolean;
  /** Point 6: zombies that lingered while the service ran. Default 0. */
  maxZombies?: number;
  /** Point 7: how long PID 1 may run after a repeated stop signal. Default 1000 ms. */
  maxMsAfterRepeatSignal?: number;
}

export interface Violation {
  point: number;
  message: string;
}

export function formatViolation(violation: Violation): string {
  return `${violation.point}: ${violation.message}`;
}

const describe = (fates: { pid: number; comm: string }[]) =>
  fates.map((f) => `${f.pid} ${f.comm}`).join(', ');

const processes = (count: number) => `${count} process${count === 1 ? '' : 'es'}`;
const were = (count: number) => (count === 1 ? 'was' : 'were');

function outputIncludes(report: StopReport, marker: string | RegExp): boolean {
  const text = `${report.stdout.text}\n${report.stderr.text}`;
  return typeof marker === 'string' ? text.includes(marker) : marker.test(text);
}

function checkRun(report: StopReport): Violation[] {
  if (!report.readiness.ok) return [{ point: 0, message: `service never became ready: ${report.readiness.detail}` }];
  if (!report.signalsSent.some((s) => s.reason === 'stop' || s.reason === 'crash')) {
    return [{ point: 0, message: `PID 1 exited before the stop signal (status ${report.pid1Exit.status ?? 'unknown'})` }];
  }
  return [];
}

function checkSignalReached(report: StopReport): Violation[] {
  const unstopped = report.fates.filter(
    (f: ProcessFate) => !f.isPid1 && f.pid !== report.crashed?.pid && f.runningAtStop && (f.fate.kind === 'killed-at-teardown' || (f.fate.kind === 'signaled' && f.fate.signal === 'SIGKILL')),
  );
  if (unstopped.length === 0) return [];
  return [{ point: 1, message: `${report.stopSignal} did not stop ${processes(unstopped.length)} (${describe(unstopped)}): ${unstopped.length === 1 ? 'it' : 'they'} ran until SIGKILL` }];
}

function checkCleanup(report: StopReport, expectations: Expectations): Violation[] {
  const missingOutput = (expectations.requiredOutput ?? []).filter((marker) => !outputIncludes(report, marker));
  const missingFiles = (expectations.requiredFiles ?? []).filter((path) => !existsSync(path));
  return [
    ...missingOutput.map((marker) => ({ point: 2, message: `cleanup marker ${String(marker)} missing from stdout/stderr` })),
    ...missingFiles.map((path) => ({ point: 2, message: `cleanup marker file ${path} missing` })),
  ];
}

function checkTeardown(report: StopReport): Violation[] {
  const victims = report.fates.filter((f) => f.fate.kind === 'killed-at-teardown');
  if (victims.length === 0) return [];
  return [{ point: 3, message: `PID 1 exited while ${processes(victims.length)} ${were(victims.length)} still alive; the kernel SIGKILLed ${victims.length === 1 ? 'it' : 'them'} (${describe(victims)})` }];
}

function checkTiming(report: StopReport, expectations: Expectations): Violation[] {
  const budget = expectations.maxStopMs ?? 1000;
  const violations: Violation[] = [];
  const took = report.stopMs === null ? 'PID 1 exit was not observed' : `stop took ${Math.round(report.stopMs)} ms`;
  if (report.sigkillNeeded) {
    violations.push({ point: 4, message: `${took}: the grace period (${report.graceSeconds} s) ran out and PID 1 was SIGKILLed` });
  } else if (report.stopMs === null || report.stopMs > budget) {
    violations.push({ point: 4, message: `${took}, budget ${budget} ms` });
  }
  const inflight = report.inflight;
  if (expectations.inflightMustComplete && inflight) {
    const statusOk = inflight.expectedStatus === null || inflight.status === inflight.expectedStatus;
    if (inflight.outcome !== 'completed' || !statusOk) {
      const expected = inflight.expectedStatus === null ? '' : `, expected ${inflight.expectedStatus}`;
      violations.push({ point: 4, message: `in-flight GET ${inflight.url} ${inflight.outcome} (status ${inflight.status ?? 'none'}${expected}${inflight.error ? `: ${inflight.error}` : ''})` });
    }
  }
  return violations;
}

function checkExitStatus(report: StopReport, expectations: Expectations): Violation[] {
  const expected = expectations.expectedExitCodes ?? [0];
  const status = report.pid1Exit.status;
  if (status !== null && expected.includes(status)) return [];
  // 128 + the stop signal after a clean drain is a convention some runtimes keep (the JVM): say how to accept it.
  const conventional = status !== null && status > 128 && !report.sigkillNeeded && status === 128 + signalNumber(report.stopSignal);
  const hint = conventional ? `; if ${status} is this service's documented graceful status (the JVM's convention), pass --expect-exit ${status}` : '';
  return [{ point: 5, message: `exit status ${status ?? 'unknown'} (${report.pid1Exit.meaning}), expected one of [${expected.join(', ')}]${hint}` }];
}

function checkZombies(report: StopReport, expectations: Expectations): Violation[] {
  const lingering = report.zombies.filter((z) => z.beforeStop);
  const allowed = expectations.maxZombies ?? 0;
  if (lingering.length <= allowed) return [];
  return [{ point: 6, message: `${lingering.length} zombies lingered while running (${describe(lingering)}), at most ${allowed} allowed` }];
}

function checkRepeatSignal(report: StopReport, expectations: Expectations): Violation[] {
  const repeat = report.signalsSent.find((s) => s.reason === 'repeat');
  if (!repeat) return [];
  const limit = expectations.maxMsAfterRepeatSignal ?? 1000;
  const after = report.stopMs === null ? null : report.stopMs - repeat.atMs;
  if (after !== null && after <= limit && !report.sigkillNeeded) return [];
  const ran = after === null ? 'PID 1 exit was not observed' : `PID 1 ran ${Math.round(after)} ms more`;
  return [{ point: 7, message: `after the repeated ${repeat.signal} ${ran}${report.sigkillNeeded ? ' and needed SIGKILL' : ''}, limit ${limit} ms` }];
}

function checkEssentialDeath(report: StopReport): Violation[] {
  const crashed = report.crashed;
  if (!crashed) return [];
  const who = `after ${crashed.pid} ${crashed.comm} died of ${crashed.signal}`;
  if (report.sigkillNeeded) return [{ point: 8, message: `${who}, PID 1 kept running until SIGKILLed after the grace period` }];
  if (report.pid1Exit.status === 0) return [{ point: 8, message: `${who}, PID 1 exited 0: the orchestrator would not restart it` }];
  return [];
}

/** The contract points this report breaks, in point order; empty when the contract holds. */
export function evaluateContract(report: StopReport, expectations: Expectations = {}): Violation[] {
  const unusable = checkRun(report);
  if (unusable.length > 0) return unusable;
  return [
    ...checkSignalReached(report),
    ...checkCleanup(report, expectations),
    ...checkTeardown(report),
    ...checkTiming(report, expectations),
    ...checkExitStatus(report, expectations),
    ...checkZombies(report, expectations),
    ...checkRepeatSignal(report, expectations),
    ...checkEssentialDeath(report),
  ];
}
