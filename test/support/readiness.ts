import type { ReadinessProbe } from '../../lib/verify/readiness.ts';

/** A generated service is ready when /healthz answers (HTTP) or, for a port-less worker, when it logs READY. */
export function serviceReadiness(port: number | undefined, timeoutMs: number): ReadinessProbe {
  return port === undefined
    ? { kind: 'log', regex: /^READY /m, timeoutMs }
    : { kind: 'http', url: `http://127.0.0.1:${port}/healthz`, timeoutMs };
}
