// The stop report: everything the harness observed while stopping one service. Plain data, JSON-safe.
import type { ProcessInfo } from './procfs.ts';

export type { ProcessInfo } from './procfs.ts';
export { evaluateContract, formatViolation } from './contract.ts';
export type { Expectations, Violation } from './contract.ts';
export { formatReport } from './format.ts';

export type Backend = 'pidns' | 'docker';

/** How per-process fates were learnt. Polling can miss short-lived processes and most exit statuses. */
export type ObservationMethod = 'proc-connector' | 'proc-polling';

export type Fate =
  | { kind: 'exited'; code: number }
  | { kind: 'signaled'; signal: string }
  /** Still alive when PID 1 exited, so the kernel SIGKILLed it while tearing the namespace down. */
  | { kind: 'killed-at-teardown' }
  /** Ended, but the method could not see how (polling without a zombie sighting). */
  | { kind: 'ended-unobserved' }
  | { kind: 'alive' };

export interface ProcessFate {
  pid: number;
  nsPid: number | null;
  ppid: number | null;
  comm: string;
  argv: string[];
  isPid1: boolean;
  /** Was it running when the first stop signal was sent? */
  runningAtStop: boolean;
  fate: Fate;
  /** When it ended, in ms relative to the first stop signal (negative: before it). */
  endedAtMs: number | null;
}

export interface SignalSent {
  signal: string;
  /** ms after the first stop signal. */
  atMs: number;
  /** 'harness' for the stop sequence; 'grace-expired' for the SIGKILL after the grace period. */
  /** 'crash': sent to one essential process instead of PID 1 (contract point 8). */
  reason: 'stop' | 'crash' | 'repeat' | 'grace-expired';
}

export interface Pid1Exit {
  /** Exit status as a shell or docker shows it (128+N for signal N); null if never observed. */
  status: number | null;
  code: number | null;
  signal: string | null;
  meaning: string;
}

export interface InflightResult {
  url: string;
  outcome: 'completed' | 'reset' | 'error' | 'not-started';
  status: number | null;
  expectedStatus: number | null;
  bodyBytes: number;
  durationMs: number;
  error: string | null;
}

export interface ZombieSighting {
  pid: number;
  comm: string;
  /** ms relative to the first stop signal (negative: before it). */
  firstSeenMs: number;
  lastSeenMs: number;
  beforeStop: boolean;
}

export interface Readiness {
  ok: boolean;
  kind: 'http' | 'log' | 'delay';
  ms: number;
  detail: string;
}

export interface CapturedOutput {
  text: string;
  truncatedBytes: number;
}

export interface StopReport {
  backend: Backend;
  /** The command (pidns) or image command (docker) that ran. */
  argv: string[];
  image: string | null;
  containerId: string | null;
  method: ObservationMethod;
  /** Host pid of the namespace's PID 1. */
  pid1HostPid: number | null;
  readiness: Readiness;
  /** PID 1 and its descendants just before the stop signal. */
  treeBeforeStop: ProcessInfo[];
  stopSignal: string;
  graceSeconds: number;
  signalsSent: SignalSent[];
  /** From the first stop signal to PID 1's exit; null if PID 1 had already exited or never did. */
  stopMs: number | null;
  pid1Exit: Pid1Exit;
  /** Set when the run killed an essential process instead of stopping PID 1 (contract point 8). */
  crashed: { pid: number; comm: string; argv: string[]; signal: string } | null;
  /** The grace period ran out and PID 1 had to be SIGKILLed from outside. */
  sigkillNeeded: boolean;
  /** Processes that died of SIGKILL, from whoever sent it (including the kernel at teardown). */
  sigkilled: { pid: number; comm: string; by: 'stopper' | 'kernel-teardown' | 'unknown' }[];
  fates: ProcessFate[];
  zombies: ZombieSighting[];
  inflight: InflightResult | null;
  stdout: CapturedOutput;
  stderr: CapturedOutput;
  /** Things the harness could not observe or had to infer. */
  notes: string[];
}
