// The docker backend: the same StopReport for a real container, stopped the way users stop it
// (`docker stop -t GRACE`, or `docker kill -s SIG` then SIGKILL after the grace for other signals).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { assembleReport } from './assemble.ts';
import { crashSender, FollowUps, repeatsOf } from './follow-ups.ts';
import { BoundedCapture } from './output.ts';
import { prepareStop } from './prepare.ts';
import type { Pid1Exit, Readiness, StopReport } from './report.ts';
import { exitStatusMeaning, normalizeSignal, pid1ExitOf } from './signals.ts';
import { ProcessWatcher } from './watch.ts';
import { docker, dockerCli, dockerOrThrow, followEvents, imageStopSignal, inspectContainer, type DockerEvent } from './docker-cli.ts';
import type { StopOptions } from './pidns.ts';

export interface DockerOptions extends StopOptions {
  /** An existing image; or give `dockerfile` (and `context`, default its folder) to build one first. */
  image?: string;
  dockerfile?: string;
  context?: string;
  /** Published as 127.0.0.1:P:P only: the harness never talks to the bridge's private addresses. */
  ports?: number[];
  /** Extra `docker run` arguments (volumes, --init, --user ...), before the image. */
  runArgs?: string[];
  /** Replaces the image's CMD. */
  command?: string[];
}

async function resolveImage(options: DockerOptions, notes: string[]): Promise<string> {
  if (options.image) return options.image;
  if (!options.dockerfile) throw new Error('runDocker needs image or dockerfile');
  const context = options.context ?? dirname(options.dockerfile);
  // One tag per Dockerfile and context: re-verifying rebuilds over it instead of piling up tags.
  const tag = `graceful-verify:${createHash('sha256').update(`${resolve(options.dockerfile)}\0${resolve(context)}`).digest('hex').slice(0, 12)}`;
  const started = Date.now();
  await dockerOrThrow(['build', '-q', '-f', options.dockerfile, '-t', tag, context]);
  notes.push(`built ${tag} from ${options.dockerfile} in ${Date.now() - started} ms`);
  return tag;
}

function runArgs(options: DockerOptions, image: string, name: string): string[] {
  return [
    'run', '-d', '--name', name,
    ...(options.ports ?? []).flatMap((port) => ['-p', `127.0.0.1:${port}:${port}`]),
    ...Object.entries(options.env ?? {}).flatMap(([key, value]) => ['-e', `${key}=${value}`]),
    ...(options.runArgs ?? []),
    image,
    ...(options.command ?? []),
  ];
}

function streamLogs(id: string, stdout: BoundedCapture, stderr: BoundedCapture, merged: BoundedCapture): ChildProcess {
  const logs = spawn(dockerCli(), ['logs', '-f', id], { stdio: ['ignore', 'pipe', 'pipe'] });
  stdout.attach(logs.stdout!);
  stderr.attach(logs.stderr!);
  merged.attach(logs.stdout!);
  merged.attach(logs.stderr!);
  return logs;
}

const waitFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runDocker(options: DockerOptions): Promise<StopReport> {
  const notes: string[] = [];
  const image = await resolveImage(options, notes);
  const imageDefaultSignal = normalizeSignal((await imageStopSignal(image)) ?? 'SIGTERM');
  const stopSignal = options.stopSignal === undefined ? imageDefaultSignal : normalizeSignal(options.stopSignal);
  if (stopSignal === null) throw new Error(`unknown stop signal ${options.stopSignal}`);

  const watcher = await ProcessWatcher.start(options.observe);
  notes.push(...watcher.notes);
  const stdout = new BoundedCapture();
  const stderr = new BoundedCapture();
  const merged = new BoundedCapture();
  const sinceSeconds = Math.floor(Date.now() / 1000) - 1;
  // Named, so that a container whose start failed can still be removed.
  const name = `graceful-verify-${randomBytes(4).toString('hex')}`;
  const run = await docker(runArgs(options, image, name));
  if (run.code !== 0) {
    await watcher.stop();
    await docker(['rm', '-f', name]);
    throw new Error(`docker run failed: ${run.stderr.trim()}`);
  }
  const id = run.stdout.trim();
  const helpers: ChildProcess[] = [];
  let followUps: FollowUps | null = null;
  let events: DockerEvent[] = [];
  try {
    const eventStream = followEvents(id, sinceSeconds);
    events = eventStream.events;
    helpers.push(eventStream.process, streamLogs(id, stdout, stderr, merged));
    const started = await inspectContainer(id);
    const pid1 = started.State.Running ? started.State.Pid : null;
    const argv = [started.Path, ...started.Args];
    const waitExit = docker(['wait', id], (options.grace + 600) * 1000);
    let exited = false;
    void waitExit.then(() => (exited = true));

    let readiness: Readiness;
    let treeBeforeStop: StopReport['treeBeforeStop'] = [];
    let stopNs = process.hrtime.bigint();
    let inflight: StopReport['inflight'] = null;
    let crashed: StopReport['crashed'] = null;
    if (pid1 === null) {
      readiness = { ok: false, kind: options.readiness.kind, ms: 0, detail: `container exited at once (status ${started.State.ExitCode})` };
    } else {
      let request;
      ({ readiness, treeBeforeStop, crashed, request } = await prepareStop({
        watcher, pid1, readiness: options.readiness, output: merged, gone: waitExit, running: () => !exited,
        ...(options.crash && { crash: options.crash }), ...(options.inflight && { inflight: options.inflight }),
        graceSeconds: options.grace, notes,
      }));
      if (exited) {
        notes.push('PID 1 had already exited before the stop signal');
      } else {
        // docker stop sends the container's STOPSIGNAL and escalates itself; other signals need kill + our own escalation.
        const crash = crashSender(crashed);
        const useDockerStop = stopSignal === imageDefaultSignal && !crash;
        let first = true;
        const stopper = {
          running: () => !exited,
          send: (signal: string) => {
            void docker(first && useDockerStop ? ['stop', '-t', String(options.grace), id] : ['kill', '-s', signal, id]);
            first = false;
          },
        };
        stopNs = process.hrtime.bigint();
        const plan = { stopSignal, repeats: repeatsOf(options, stopSignal), killAfterMs: useDockerStop ? null : options.grace * 1000, ...(crash && { crash }) };
        followUps = new FollowUps(plan, stopper, stopNs);
      }
      inflight = request ? await request.result : null;
    }
    await waitExit;
    followUps?.cancel();
    const final = await inspectContainer(id);
    await waitFor(300); // the last events (kill 9, die) reach the stream just after `docker wait` returns

    // Timing starts when the harness runs `docker stop`/`docker kill`, so it includes the client's
    // latency: the daemon logs its kill event after the signal went out, so it is no earlier bound.
    const signalsSent = followUps?.signalsSent ?? [];
    const killEvents = events.filter((e) => e.action === 'kill');
    const firstKill = killEvents.find((e) => normalizeSignal(e.signal ?? '') === stopSignal);
    if (firstKill && signalsSent.length > 0) {
      notes.push(`the daemon logged the ${stopSignal} ${(Number(firstKill.atNs - stopNs) / 1e6).toFixed(0)} ms after the harness ran the docker client`);
    }
    const sigkillEvent = killEvents.find((e) => normalizeSignal(e.signal ?? '') === 'SIGKILL');
    const stopperKillNs = sigkillEvent?.atNs ?? followUps?.killNs ?? null;
    if (sigkillEvent && !signalsSent.some((s) => s.reason === 'grace-expired')) {
      signalsSent.push({ signal: 'SIGKILL', atMs: Number(sigkillEvent.atNs - stopNs) / 1e6, reason: 'grace-expired' });
    }

    let pid1Exit: Pid1Exit;
    let pid1ExitNs: bigint | null = null;
    const observed = pid1 === null ? null : await watcher.waitForExit(pid1, watcher.method === 'proc-connector' ? 2000 : 0);
    if (observed?.exact) {
      pid1Exit = pid1ExitOf(observed.code, observed.signal);
      pid1ExitNs = observed.atNs;
    } else {
      pid1Exit = pid1ExitOf(final.State.ExitCode, null, exitStatusMeaning(final.State.ExitCode));
      pid1ExitNs = events.find((e) => e.action === 'die')?.atNs ?? null;
      notes.push('PID 1 exit status taken from docker inspect (proc connector did not report it)');
    }
    if (final.State.OOMKilled) notes.push('docker reports OOMKilled');
    if (pid1Exit.status !== null && pid1Exit.status !== final.State.ExitCode) {
      notes.push(`docker reports exit code ${final.State.ExitCode}, the kernel ${pid1Exit.status}`);
    }
    return await assembleReport({
      backend: 'docker',
      argv,
      image,
      containerId: id,
      pid1HostPid: pid1,
      readiness,
      treeBeforeStop,
      crashed,
      stopSignal,
      graceSeconds: options.grace,
      signalsSent,
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
  } finally {
    followUps?.cancel();
    await watcher.stop();
    await docker(['rm', '-f', id]);
    for (const helper of helpers) helper.kill();
  }
}

