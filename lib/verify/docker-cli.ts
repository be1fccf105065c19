// The few docker client calls the docker backend needs. The client binary is GRACEFUL_DOCKER_CLI
// (default `docker`); the engine is whatever DOCKER_HOST points at.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export const dockerCli = () => process.env.GRACEFUL_DOCKER_CLI || 'docker';

export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function docker(args: string[], timeoutMs = 600_000): Promise<DockerResult> {
  return new Promise((resolve) => {
    execFile(dockerCli(), args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr || (error && !stderr ? error.message : '') });
    });
  });
}

export async function dockerOrThrow(args: string[], timeoutMs?: number): Promise<string> {
  const result = await docker(args, timeoutMs);
  if (result.code !== 0) throw new Error(`${dockerCli()} ${args.join(' ')} failed (${result.code}): ${result.stderr.trim()}`);
  return result.stdout;
}

export interface ContainerState {
  Pid: number;
  Running: boolean;
  ExitCode: number;
  OOMKilled: boolean;
}

export interface ContainerInspect {
  Id: string;
  Path: string;
  Args: string[];
  State: ContainerState;
  Config: { StopSignal?: string };
}

export async function inspectContainer(id: string): Promise<ContainerInspect> {
  const [container] = JSON.parse(await dockerOrThrow(['inspect', '--type', 'container', id])) as ContainerInspect[];
  if (!container) throw new Error(`docker inspect ${id}: no such container`);
  return container;
}

export async function imageStopSignal(image: string): Promise<string | null> {
  const out = await dockerOrThrow(['image', 'inspect', '-f', '{{json .Config.StopSignal}}', image]);
  const signal = JSON.parse(out.trim() || 'null') as string | null;
  return signal || null;
}

export interface DockerEvent {
  action: string;
  signal: string | null;
  exitCode: string | null;
  /** CLOCK_MONOTONIC ns, converted from the daemon's wall clock. */
  atNs: bigint;
}

/** Wall-clock ns minus monotonic ns, to place daemon timestamps on the harness's clock. */
function wallToMonotonicOffset(): bigint {
  const wallNs = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
  return wallNs - process.hrtime.bigint();
}

interface RawEvent {
  Action?: string;
  status?: string;
  timeNano?: number;
  Actor?: { Attributes?: Record<string, string> };
}

/** Streams `docker events` for one container (from `sinceSeconds`, so nothing is missed). */
export function followEvents(id: string, sinceSeconds: number): { events: DockerEvent[]; process: ChildProcess } {
  const events: DockerEvent[] = [];
  const offset = wallToMonotonicOffset();
  const child = spawn(dockerCli(), ['events', '--since', String(sinceSeconds), '--filter', `container=${id}`, '--format', '{{json .}}'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      const raw = JSON.parse(line) as RawEvent;
      const attributes = raw.Actor?.Attributes ?? {};
      events.push({
        action: raw.Action ?? raw.status ?? '?',
        signal: attributes['signal'] ?? null,
        exitCode: attributes['exitCode'] ?? null,
        atNs: BigInt(raw.timeNano ?? 0) - offset,
      });
    } catch {
      // Not JSON: an old client ignoring --format; the stop still works without events.
    }
  });
  return { events, process: child };
}
