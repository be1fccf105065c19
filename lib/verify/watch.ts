// Observes every process of one pid namespace: the proc connector (via procwatch.py) for exact
// fork/exit events, plus a /proc poller for names, argv and zombies (and for fates when the
// connector is unavailable).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { ObservationMethod } from './report.ts';
import {
  pidNamespaceOf,
  processesInNamespace,
  readProcess,
  zombieWaitStatus,
  type ProcessInfo,
} from './procfs.ts';

const PROCWATCH = fileURLToPath(new URL('./procwatch.py', import.meta.url));
const POLL_MS = 20;

export interface ExitObservation {
  code: number | null;
  signal: number | null;
  /** CLOCK_MONOTONIC ns, comparable with process.hrtime.bigint(). */
  atNs: bigint;
  /** False when only polling saw it go (no status, time approximate). */
  exact: boolean;
}

export interface WatchedProcess {
  pid: number;
  ppid: number | null;
  /** When it was first seen (fork event, or the poll that found it). */
  firstSeenNs: bigint;
  /** Last poll that found it running. */
  lastSeenRunningNs: bigint | null;
  /** Latest /proc snapshot taken while it ran. */
  info: ProcessInfo | null;
  exit: ExitObservation | null;
  zombieFirstNs: bigint | null;
  zombieLastNs: bigint | null;
}

interface ConnectorEvent {
  ev: 'ready' | 'fork' | 'exec' | 'exit' | 'overrun' | 'error';
  pid?: number;
  ppid?: number | null;
  code?: number | null;
  sig?: number | null;
  t?: number;
  message?: string;
}

function decodeWaitStatus(status: number): { code: number | null; signal: number | null } {
  const signal = status & 0x7f;
  return signal === 0 ? { code: (status >> 8) & 0xff, signal: null } : { code: null, signal };
}

export class ProcessWatcher {
  method: ObservationMethod = 'proc-polling';
  readonly processes = new Map<number, WatchedProcess>();
  readonly notes: string[] = [];
  private connector: ChildProcessWithoutNullStreams | null = null;
  private namespace: string | null = null;
  private poller: NodeJS.Timeout | null = null;
  private exitWaiters: (() => void)[] = [];
  /** Every connector event of the followed processes, in kernel order. */
  readonly timeline: { kind: 'fork' | 'exec' | 'exit'; pid: number; signal: number | null; atNs: bigint }[] = [];
  /** Last fork, exec, exit, setsid or rename seen among the followed processes. */
  private lastChangeNs = process.hrtime.bigint();

  /** Starts observing; call before the service is started so that no fork is missed. */
  static async start(preferred: ObservationMethod = 'proc-connector'): Promise<ProcessWatcher> {
    const watcher = new ProcessWatcher();
    if (preferred === 'proc-connector') await watcher.startConnector();
    else watcher.notes.push('polling /proc as asked (proc connector not used)');
    return watcher;
  }

  /** Follows `pid` (the namespace's PID 1) and every process that descends from it. */
  follow(pid: number): void {
    this.namespace = pidNamespaceOf(pid);
    this.entry(pid);
    this.connector?.stdin.write(`follow ${pid}\n`);
    this.pollOnce();
    this.poller ??= setInterval(() => this.pollOnce(), POLL_MS);
  }

  /** Resolves once `pid`'s exit has been observed, or after timeoutMs. */
  async waitForExit(pid: number, timeoutMs: number): Promise<ExitObservation | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.processes.get(pid)?.exit == null && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
        this.exitWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.processes.get(pid)?.exit ?? null;
  }

  /** After PID 1's exit: waits (up to timeoutMs) for the exit events of every other process seen. */
  async waitForAllExits(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const pending = () => [...this.processes.values()].some((p) => p.exit === null);
    while (pending() && Date.now() < deadline) {
      if (this.method === 'proc-polling') this.pollOnce();
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /**
   * Waits until the followed processes have had no fork, exec, exit or session change for quietMs
   * (a service logs "ready" before its children have finished starting). False if maxMs ran out.
   */
  async settle(quietMs: number, maxMs: number): Promise<boolean> {
    const deadline = Date.now() + maxMs;
    const quietNs = BigInt(quietMs) * 1_000_000n;
    while (Date.now() < deadline) {
      this.pollOnce();
      if (process.hrtime.bigint() - this.lastChangeNs >= quietNs) return true;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return false;
  }

  async stop(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    const connector = this.connector;
    this.connector = null;
    if (connector && connector.exitCode === null && connector.signalCode === null) {
      const exited = new Promise((resolve) => connector.once('exit', resolve));
      connector.stdin.end();
      connector.kill('SIGTERM');
      await exited;
    }
  }

  private entry(pid: number, seenNs = process.hrtime.bigint()): WatchedProcess {
    let found = this.processes.get(pid);
    if (!found) {
      found = { pid, ppid: null, firstSeenNs: seenNs, lastSeenRunningNs: null, info: null, exit: null, zombieFirstNs: null, zombieLastNs: null };
      this.processes.set(pid, found);
    }
    return found;
  }

  private recordExit(pid: number, exit: ExitObservation): void {
    const entry = this.entry(pid);
    if (entry.exit?.exact) return;
    entry.exit = exit;
    for (const wake of this.exitWaiters.splice(0)) wake();
  }

  private async startConnector(): Promise<void> {
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn('python3', [PROCWATCH], { stdio: 'pipe' });
    } catch (error) {
      this.notes.push(`proc connector not started: ${String(error)}; polling /proc instead`);
      return;
    }
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout });
    const ready = new Promise<boolean>((resolve) => {
      child.once('error', () => resolve(false));
      child.once('exit', () => resolve(false));
      lines.on('line', (line) => {
        const event = JSON.parse(line) as ConnectorEvent;
        if (event.ev === 'ready') resolve(true);
        else if (event.ev === 'error') this.notes.push(event.message ?? 'proc connector error');
        else this.onConnectorEvent(event);
      });
    });
    if (await ready) {
      this.connector = child;
      this.method = 'proc-connector';
      child.once('exit', (code) => {
        if (this.poller) this.notes.push(`procwatch.py exited early (${code}): ${stderr.trim()}`);
      });
    } else {
      this.notes.push(`proc connector unavailable (${stderr.trim() || 'procwatch.py failed'}); polling /proc instead`);
    }
  }

  private onConnectorEvent(event: ConnectorEvent): void {
    if (event.ev === 'overrun') {
      this.notes.push('the kernel dropped proc connector events (buffer overrun); some fates may be missing');
      return;
    }
    if (event.pid === undefined) return;
    const entry = this.entry(event.pid, BigInt(event.t ?? 0));
    this.lastChangeNs = process.hrtime.bigint();
    if (event.ev === 'fork' || event.ev === 'exec' || event.ev === 'exit') {
      this.timeline.push({ kind: event.ev, pid: event.pid, signal: event.sig ?? null, atNs: BigInt(event.t ?? 0) });
    }
    if (event.ev === 'fork') {
      entry.ppid = event.ppid ?? null;
      entry.firstSeenNs = BigInt(event.t ?? 0);
    }
    if (event.ev === 'fork' || event.ev === 'exec') {
      // A child that is gone before we read /proc still carries its parent's name (fork copies it).
      const parentInfo = entry.ppid === null ? null : (this.processes.get(entry.ppid)?.info ?? null);
      const fresh = readProcess(event.pid);
      if (fresh && (fresh.argv.length > 0 || !entry.info)) entry.info = fresh;
      else entry.info ??= parentInfo && { ...parentInfo, pid: event.pid, ppid: entry.ppid!, nsPid: null, rssKb: null };
    }
    if (event.ev === 'exit') {
      // Keep the fork parent (the lineage); the exit event names the adoptive one after reparenting.
      entry.ppid ??= event.ppid ?? null;
      this.recordExit(event.pid, {
        code: event.code ?? null,
        signal: event.sig ?? null,
        atNs: BigInt(event.t ?? 0),
        exact: true,
      });
    }
  }

  private pollOnce(): void {
    const now = process.hrtime.bigint();
    const seen = new Set<number>();
    if (this.namespace !== null) {
      for (const info of processesInNamespace(this.namespace)) {
        seen.add(info.pid);
        const entry = this.entry(info.pid, now);
        entry.ppid ??= info.ppid;
        if (info.state === 'Z') {
          entry.zombieFirstNs ??= now;
          entry.zombieLastNs = now;
          const status = zombieWaitStatus(info.pid);
          if (status !== null && this.method === 'proc-polling') {
            this.recordExit(info.pid, { ...decodeWaitStatus(status), atNs: now, exact: false });
          }
        } else {
          const before = entry.info;
          if (before?.sid !== info.sid || before?.comm !== info.comm || before?.argv.join('\0') !== info.argv.join('\0')) {
            this.lastChangeNs = now;
          }
          // cmdline reads empty in the middle of an exec: keep the last argv seen.
          if (info.argv.length > 0 || !entry.info) entry.info = info;
          if (!info.exiting) entry.lastSeenRunningNs = now;
        }
      }
    }
    if (this.method !== 'proc-polling') return;
    // Polling alone: a followed process that vanished from /proc has ended, status unseen.
    for (const entry of this.processes.values()) {
      if (entry.exit === null && !seen.has(entry.pid) && entry.info !== null) {
        this.recordExit(entry.pid, { code: null, signal: null, atNs: now, exact: false });
      }
    }
  }
}
