// The stop-behaviour harness. It sees services only as processes and files: no generator code.
export { runPidns, type PidnsOptions, type BindMount, type RepeatSignal } from './pidns.ts';
export { runDocker, type DockerOptions } from './docker.ts';
export type { ReadinessProbe } from './readiness.ts';
export type { InflightOptions } from './inflight.ts';
export * from './report.ts';
