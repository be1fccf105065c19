// The engine-free backend: run a command as PID 1 of a fresh pid namespace (unshare), stop it the
// way docker does (stop signal, grace period, SIGKILL from outside) and report what happened.
import { spawn, type ChildProcess } from 'node:child_process';
import { assembleReport } from './assemble.ts';
import { crashSender, FollowUps, repeatsOf, type CrashOption } from './follow-ups.ts';
import type { InflightOptions } from './inflight.ts';
import { BoundedCapture } from './output.ts';
import { childrenOf, readProcess } from './procfs.ts';
import { prepareStop } from './prepare.ts';
import type { ReadinessProbe } from './readiness.ts';
import type { ObservationMethod, Readiness, StopReport } from './report.ts';
import { normalizeSignal, pid1ExitOf, signalNumber } from './signals.ts';
import { ProcessWatcher } from './watch.ts';

export interface BindMount {
  /** Host directory. */
  source: string;
  /** Path inside the namespace; created (as an empty directory on the host's filesystem) if missing. */
  target: string;
}

export interface RepeatSignal {
  signal: string;
  /** ms after the first stop signal. */
  afterMs: number;
}

/** How a service is stopped and observed: the same for both backends. */
export interface StopOptions {
  env?: Record<string, string>;
  readiness: ReadinessProbe;
  inflight?: InflightOptions;
  /** Default SIGTERM (docker: the image's STOPSIGNAL). */
  stopSignal?: string;
  /** Seconds between the stop signal and the SIGKILL from outside, like `docker stop -t`. */
  grace: number;
  /** Sends the stop signal again this many ms after the first (a second Ctrl-C). */
  secondSignalAfterMs?: number;
  /** Further signals to send during shutdown. */
  signals?: RepeatSignal[];
  /** Default 'proc-connector', which falls back to polling when the connector is unavailable. */
  observe?: ObservationMethod;
  /**
   * Instead of stopping PID 1, kill the first other process whose argv contains `argvIncludes`
   * (default SIGKILL): checks that the death of an essential process stops the service (point 8).
   */
  crash?: CrashOption;
}

export interface PidnsOptions extends StopOptions {
  argv: string[];
  /**
   * Merged over a minimal container-like environment (PATH, HOME=/root, LANG=C.UTF-8), not over
   * the harness's own: a service must not pass because the test runner's environment leaked in.
   */
  env?: Record<string, string>;
  cwd?: string;
  binds?: BindMount[];
}

const MINIMAL_ENV = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/root',
  LANG: 'C.UTF-8',
};
const FIND_PID1_TIMEOUT_MS = 5000;

/** Mounts the binds in a private mount namespace, then exec's the pid-namespace unshare. */
function unshareArgv(options: PidnsOptions): string[] {
  const pidns = ['unshare', '--pid', '--fork', '--mount-proc', '--', ...options.argv];
  const binds = options.binds ?? [];
  if (binds.length === 0) return pidns;
  // The working directory may exist only once the binds are mounted (e.g. /app), so cd after them.
  const script = binds
    .map((_, i) => `mkdir -p "$T${i}" && mount --bind "$S${i}" "$T${i}"`)
    .concat(options.cwd ? ['cd "$WD"'] : [])
    .concat('exec "$@"')
    .join(' && ');
  return ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-ec', script, 'sh', ...pidns];
}

function bindEnv(binds: BindMount[], cwd: string | undefined): Record<string, string> {
  const vars = Object.fromEntries(binds.flatMap((b, i) => [[`S${i}`, b.source], [`T${i}`, b.target]]));
  return binds.length > 0 && cwd ? { ...vars, WD: cwd } : vars;
}

async function findPid1(unsharePid: number, exited: () => boolean): Promise<number | null> {
  const deadline = Date.now() + FIND_PID1_TIMEOUT_MS;
  while (Date.now() < deadline && !exited()) {
    for (const child of childrenOf(unsharePid)) {
      if (readProcess(child)?.nsPid === 1) return child;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return null;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  atNs: bigint;
}

function exitOf(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, atNs: process.hrtime.bigint() }));
  });
}

/** Resolves when the stdio pipes are closed (every process holding them is gone) or after timeoutMs. */
function closedWithin(closed: Promise<unknown>, timeoutMs: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  return Promise.race([closed, timeout]).finally(() => clearTimeout(timer));
}

export async function runPidns(options: PidnsOptions): Promise<StopReport> {
  const stopSignal = normalizeSignal(options.stopSignal ?? 'SIGTERM');
  if (stopSignal === null) throw new Error(`unknown stop signal ${options.stopSignal}`);
  if (options.argv.length === 0) throw new Error('argv is empty');
  const watcher = await ProcessWatcher.start(options.observe);
  try {
    return await observeStop(options, stopSignal, watcher);
  } finally {
    await watcher.stop();
  }
}

async function observeStop(options: PidnsOptions, stopSignal: string, watcher: ProcessWatcher): Promise<StopReport> {
  const notes = [...watcher.notes];
  const stdout = new BoundedCapture();
  const stderr = new BoundedCapture();
  const merged = new BoundedCapture();
  const [command, ...args] = unshareArgv(options);
  const child = spawn(command!, args, {
    env: { ...MINIMAL_ENV, ...options.env, ...bindEnv(options.binds ?? [], options.cwd) },
    cwd: (options.binds ?? []).length > 0 ? '/' : options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  for (const capture of [stdout, merged]) capture.attach(child.stdout!);
  for (const capture of [stderr, merged]) capture.attach(child.stderr!);
  const exited = exitOf(child);
  const closed = new Promise((resolve) => child.once('close', resolve));
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  void spawnError.then(() => (hasExited = true));

  const unsharePid = child.pid;
  const pid1 = unsharePid === undefined ? null : await findPid1(unsharePid, () => hasExited);
  /** PID 1 still belongs to our unshare (guards against pid reuse after it is reaped). */
  const running = () => !hasExited && pid1 !== null && readProcess(pid1)?.ppid === unsharePid;
  const stopper = {
    running,
    send: (signal: string) => running() && process.kill(pid1!, signal as NodeJS.Signals),
  };

  let readiness: Readiness;
  let treeBeforeStop: StopReport['treeBeforeStop'] = [];
  let stopNs = process.hrtime.bigint();
  let followUps: FollowUps | null = null;
  let crashed: StopReport['crashed'] = null;
  let inflight: StopReport['inflight'] = null;
  try {
    if (pid1 === null) {
      const error = await Promise.race([spawnError, new Promise<null>((r) => setTimeout(() => r(null), 10))]);
      readiness = { ok: false, kind: options.readiness.kind, ms: 0, detail: error ? `spawn failed: ${error.message}` : 'no PID 1 appeared' };
    } else {
      let request;
      ({ readiness, treeBeforeStop, crashed, request } = await prepareStop({
        watcher, pid1, readiness: options.readiness, output: merged, gone: exited, running: stopper.running,
        ...(options.crash && { crash: options.crash }), ...(options.inflight && { inflight: options.inflight }),
        graceSeconds: options.grace, notes,
      }));
      stopNs = process.hrtime.bigint();
      if (stopper.running()) {
        const crash = crashSender(crashed);
        const plan = { stopSignal, repeats: repeatsOf(options, stopSignal), killAfterMs: options.grace * 1000, ...(crash && { crash }) };
        followUps = new FollowUps(plan, stopper, stopNs);
      } else {
        notes.push('PID 1 had already exited before the stop signal');
      }
      inflight = request ? await request.result : null;
    }
    await Promise.race([exited, spawnError]);
  } finally {
    followUps?.cancel();
    if (stopper.running()) process.kill(pid1!, 'SIGKILL');
  }
  const unshareExit = await Promise.race([exited, spawnError.then(() => null)]);
  await closedWithin(closed, 2000);

  const stopperKillNs = followUps?.killNs ?? null;
  let pid1Exit = pid1ExitOf(null, null);
  let pid1ExitNs: bigint | null = null;
  const observed = pid1 === null ? null : await watcher.waitForExit(pid1, watcher.method === 'proc-connector' ? 2000 : 0);
  if (observed?.exact) {
    pid1Exit = pid1ExitOf(observed.code, observed.signal);
    pid1ExitNs = observed.atNs;
  } else if (pid1 !== null && unshareExit) {
    // unshare mirrors its child's status, except that it exits 1 when the child was SIGKILLed.
    pid1Exit = stopperKillNs !== null && unshareExit.code === 1
      ? pid1ExitOf(null, signalNumber('SIGKILL'), 'killed by SIGKILL (inferred: unshare exits 1 then)')
      : pid1ExitOf(unshareExit.code, unshareExit.signal ? signalNumber(unshareExit.signal) : null);
    pid1ExitNs = unshareExit.atNs;
    notes.push('PID 1 exit status taken from unshare (proc connector did not report it)');
  }
  return assembleReport({
    backend: 'pidns',
    argv: options.argv,
    image: null,
    containerId: null,
    pid1HostPid: pid1,
    readiness,
    treeBeforeStop,
    crashed,
    stopSignal,
    graceSeconds: options.grace,
    signalsSent: followUps?.signalsSent ?? [],
    pid1Exit,
    inflight,
    notes,
    watcher,
    stopNs,
    pid1ExitNs,
    stopperKillNs,
    stdout,
    stderr,
  });
}
