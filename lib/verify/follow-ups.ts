// The signals after the first stop signal: repeats (a second Ctrl-C) and the SIGKILL when the grace
// period runs out. Shared by both backends; only how a signal is sent differs.
import type { RepeatSignal } from './pidns.ts';
import type { ProcessInfo } from './procfs.ts';
import type { SignalSent, StopReport } from './report.ts';
import { normalizeSignal } from './signals.ts';

export interface StopPlan {
  stopSignal: string;
  /** Replaces the stop signal to PID 1 with a kill of one essential process (contract point 8). */
  crash?: { signal: string; send: () => void };
  repeats: RepeatSignal[];
  /** When the harness must SIGKILL itself; null when the stopper (docker stop) escalates on its own. */
  killAfterMs: number | null;
}

export interface Stopper {
  running(): boolean;
  send(signal: string): void;
}

export class FollowUps {
  readonly signalsSent: SignalSent[] = [];
  /** When the harness sent SIGKILL because the grace period ran out. */
  killNs: bigint | null = null;
  private readonly timers: NodeJS.Timeout[] = [];

  /** Sends the stop signal now and schedules the rest; `stopNs` is the moment of the first signal. */
  constructor(plan: StopPlan, stopper: Stopper, stopNs: bigint) {
    if (plan.crash) {
      plan.crash.send();
      this.signalsSent.push({ signal: plan.crash.signal, atMs: 0, reason: 'crash' });
    } else {
      stopper.send(plan.stopSignal);
      this.signalsSent.push({ signal: plan.stopSignal, atMs: 0, reason: 'stop' });
    }
    for (const repeat of plan.repeats) {
      const signal = normalizeSignal(repeat.signal) ?? repeat.signal;
      this.later(repeat.afterMs, () => {
        if (!stopper.running()) return;
        stopper.send(signal);
        this.signalsSent.push({ signal, atMs: repeat.afterMs, reason: 'repeat' });
      });
    }
    if (plan.killAfterMs === null) return;
    this.later(plan.killAfterMs, () => {
      if (!stopper.running()) return;
      this.killNs = process.hrtime.bigint();
      stopper.send('SIGKILL');
      this.signalsSent.push({ signal: 'SIGKILL', atMs: Number(this.killNs - stopNs) / 1e6, reason: 'grace-expired' });
    });
  }

  cancel(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  private later(ms: number, action: () => void): void {
    this.timers.push(setTimeout(action, ms));
  }
}

export interface CrashOption {
  /** Kill the first process other than PID 1 whose argv contains this. */
  argvIncludes: string;
  /** Default SIGKILL. */
  signal?: string;
}

/** The essential process to kill for contract point 8, or an explanation of why there is none. */
export function crashTarget(tree: ProcessInfo[], pid1: number, crash: CrashOption): NonNullable<StopReport['crashed']> | string {
  const target = tree.find((p) => p.pid !== pid1 && p.argv.join(' ').includes(crash.argvIncludes));
  if (!target) return `no process's argv contains "${crash.argvIncludes}"`;
  const signal = normalizeSignal(crash.signal ?? 'SIGKILL') ?? 'SIGKILL';
  return { pid: target.pid, comm: target.comm, argv: target.argv, signal };
}

/** Kills the crash target from the host (its host pid), bypassing PID 1. */
export function crashSender(crashed: StopReport['crashed']): StopPlan['crash'] | undefined {
  if (!crashed) return undefined;
  return { signal: crashed.signal, send: () => process.kill(crashed.pid, crashed.signal as NodeJS.Signals) };
}

export function repeatsOf(options: { stopSignal?: string; secondSignalAfterMs?: number; signals?: RepeatSignal[] }, stopSignal: string): RepeatSignal[] {
  const repeats = [...(options.signals ?? [])];
  if (options.secondSignalAfterMs !== undefined) repeats.push({ signal: stopSignal, afterMs: options.secondSignalAfterMs });
  return repeats;
}
