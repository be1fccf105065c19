import type { Answers } from './answers.ts';
import { inits, models, runtimes } from './registry/matrix.ts';
import type { InitDescriptor, ModelDescriptor, RuntimeDescriptor, TemplateFile } from './registry/types.ts';

/** Everything the templates need, computed here so templates hold no logic. */
export interface RenderContext {
  name: string;
  /** Undefined for port-less workers; always present so templates can test it. */
  port: number | undefined;
  drainSeconds: number;
  graceSeconds: number;
  runtime: RuntimeDescriptor;
  model: ModelDescriptor;
  init: InitDescriptor;
  /** ENTRYPOINT argv (the init, or the app itself when there is no init). */
  entrypoint: string[];
  /** CMD argv (the app behind the init); empty when the app is the ENTRYPOINT. */
  cmd: string[];
  /** The full argv of PID 1 as the image runs it. */
  pid1: string[];
  stopSignal: string;
  healthcheck: string[] | undefined;
  /** ENV lines of the final stage, in order. */
  env: [string, string][];
  /** Graceful-stop exit status of the container (after the stop signal). */
  exitStatus: number;
  files: TemplateFile[];
  json: (value: unknown) => string;
}

const COMMON_FILES: TemplateFile[] = [
  { source: 'Dockerfile.ejs', destination: 'Dockerfile' },
  { source: '_dockerignore.ejs', destination: '.dockerignore' },
  { source: 'SIGNALS.md.ejs', destination: 'SIGNALS.md' },
];

export function buildContext(answers: Answers): RenderContext {
  const runtime = runtimes[answers.runtime];
  const model = models[answers.model];
  const init = inits[answers.init];
  const prefix = [...init.argvPrefix];
  const app = [...runtime.appArgv];
  const entrypoint = prefix.length > 0 ? prefix : app;
  const cmd = prefix.length > 0 ? app : [];
  const env: [string, string][] = [['SERVICE_NAME', answers.name]];
  if (answers.port !== undefined) env.push(['PORT', String(answers.port)]);
  env.push(['DRAIN_SECONDS', String(answers.drain)]);
  env.push(...Object.entries(runtime.env ?? {}));
  return {
    name: answers.name,
    port: answers.port,
    drainSeconds: answers.drain,
    graceSeconds: answers.grace,
    runtime,
    model,
    init,
    entrypoint,
    cmd,
    pid1: [...entrypoint, ...cmd],
    stopSignal: runtime.stopSignal,
    healthcheck: runtime.healthcheck && answers.port !== undefined ? runtime.healthcheck(answers.port) : undefined,
    env,
    exitStatus: runtime.exitStatus.graceful,
    files: [...COMMON_FILES, ...runtime.files],
    json: (value) => JSON.stringify(value),
  };
}
