import { request } from 'node:http';
import type { InflightResult } from './report.ts';

export interface InflightOptions {
  url: string;
  expectStatus?: number;
  /** How long after the request is sent the stop signal goes out, so the server has read it. */
  leadMs?: number;
}

export interface InflightRequest {
  /** Resolves when the request has been written (plus the lead time): time to send the stop signal. */
  sent: Promise<void>;
  result: Promise<InflightResult>;
}

/** One GET, started before the stop signal, that the service should finish while it drains. */
export function startInflight(options: InflightOptions, timeoutMs: number): InflightRequest {
  const started = Date.now();
  const base = { url: options.url, expectedStatus: options.expectStatus ?? null };
  let markSent: () => void = () => {};
  const sent = new Promise<void>((resolve) => (markSent = resolve));
  const result = new Promise<InflightResult>((resolve) => {
    let status: number | null = null;
    let bodyBytes = 0;
    const finish = (outcome: InflightResult['outcome'], error: string | null) => {
      markSent();
      resolve({ ...base, outcome, status, bodyBytes, durationMs: Date.now() - started, error });
    };
    const req = request(options.url, { method: 'GET', agent: false }, (res) => {
      status = res.statusCode ?? null;
      res.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
      res.on('end', () => finish(res.complete ? 'completed' : 'reset', res.complete ? null : 'response cut short'));
      res.on('error', (error) => finish('reset', error.message));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      const reset = ['ECONNRESET', 'EPIPE'].includes(error.code ?? '') || error.message === 'socket hang up';
      finish(reset ? 'reset' : 'error', error.message);
    });
    req.on('finish', () => setTimeout(markSent, options.leadMs ?? 100));
    req.end();
  });
  return { sent, result };
}
