import { request } from 'node:http';
import type { Readiness } from './report.ts';
import type { BoundedCapture } from './output.ts';

export type ReadinessProbe =
  | { kind: 'http'; url: string; timeoutMs?: number }
  | { kind: 'log'; regex: RegExp | string; timeoutMs?: number }
  | { kind: 'delay'; ms: number };

export const DEFAULT_READY_TIMEOUT_MS = 15_000;
const HTTP_RETRY_MS = 50;

/** Any HTTP response below 500 counts: the server is accepting and answering. */
function probeHttp(url: string): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? null);
    });
    req.on('error', () => resolve(null));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the probe passes, the timeout elapses, or `gone` resolves (the service exited first).
 * `output` is the merged stdout+stderr capture used by log probes.
 */
export async function waitReady(
  probe: ReadinessProbe,
  output: BoundedCapture,
  gone: Promise<unknown>,
): Promise<Readiness> {
  const started = Date.now();
  let exited = false;
  void gone.then(() => (exited = true));
  const elapsed = () => Date.now() - started;
  const result = (ok: boolean, detail: string): Readiness => ({ ok, kind: probe.kind, ms: elapsed(), detail });

  if (probe.kind === 'delay') {
    await Promise.race([sleep(probe.ms), gone]);
    return exited ? result(false, 'exited during the readiness delay') : result(true, `waited ${probe.ms} ms`);
  }
  const timeoutMs = probe.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  if (probe.kind === 'http') {
    let lastStatus: number | null = null;
    while (elapsed() < timeoutMs && !exited) {
      lastStatus = await probeHttp(probe.url);
      if (lastStatus !== null && lastStatus < 500) return result(true, `GET ${probe.url} → ${lastStatus}`);
      await sleep(HTTP_RETRY_MS);
    }
    const why = exited ? 'exited before answering' : `no answer below 500 within ${timeoutMs} ms`;
    return result(false, `GET ${probe.url}: ${why} (last status ${lastStatus ?? 'none'})`);
  }
  const regex = typeof probe.regex === 'string' ? new RegExp(probe.regex, 'm') : probe.regex;
  const matched = await new Promise<boolean>((resolve) => {
    const check = () => regex.test(output.text()) && finish(true);
    const unsubscribe = output.onData(check);
    const timer = setTimeout(() => finish(false), timeoutMs);
    void gone.then(() => setTimeout(() => finish(regex.test(output.text())), 50));
    function finish(ok: boolean): true {
      unsubscribe();
      clearTimeout(timer);
      resolve(ok);
      return true;
    }
    check();
  });
  if (matched && !exited) return result(true, `log matched ${regex}`);
  return result(false, exited ? `exited before the log matched ${regex}` : `log did not match ${regex} within ${timeoutMs} ms`);
}
