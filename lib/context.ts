import type { Answers } from './answers.ts';
import { inits, models, runtimes } from './registry/matrix.ts';
import type { InitDescriptor, ModelDescriptor, ModelPlan, RuntimeDescriptor, TemplateFile } from './registry/types.ts';

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
  /** What the process model adds (undefined for the single model). */
  plan: ModelPlan | undefined;
  /** USER of the final stage; undefined when the model's entrypoint drops privileges itself. */
  user: string | undefined;
  /** Why-comments above ENTRYPOINT and CMD. */
  why: { entrypoint: string; cmd: string };
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
  const plan = model.plan?.(runtime, { init: init.id, ...(answers.supervisor ? { supervisor: answers.supervisor } : {}) });
  const prefix = [...(plan?.initArgv ?? init.argvPrefix), ...(plan?.entrypoint ?? [])];
  const app = [...(plan?.cmd ?? runtime.appArgv)];
  const entrypoint = prefix.length > 0 ? prefix : app;
  const cmd = prefix.length > 0 ? app : [];
  const env: [string, string][] = [['SERVICE_NAME', answers.name]];
  if (answers.port !== undefined) env.push(['PORT', String(answers.port)]);
  env.push(['DRAIN_SECONDS', String(answers.drain)]);
  env.push(...Object.entries(runtime.env ?? {}));
  env.push(...Object.entries(plan?.env ?? {}));
  const exitStatus = plan?.gracefulExit ?? runtime.exitStatus.graceful;
  const why = plan?.why ?? (cmd.length > 0
    ? {
        entrypoint: `Exec form: ${init.title} is PID 1 and starts the app itself, no shell in between to swallow the signal.`,
        cmd: `The app, started directly (never via npm/sh -c); exits ${exitStatus} after a graceful stop.`,
      }
    : { entrypoint: `Exec form: the app itself is PID 1 and handles ${runtime.stopSignal}; exits ${exitStatus} after a graceful stop.`, cmd: '' });
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
    healthcheck: runtime.healthcheck && answers.port !== undefined ? [...runtime.healthcheck] : undefined,
    env,
    exitStatus,
    files: [...COMMON_FILES, ...runtime.files, ...(plan?.files ?? [])],
    plan,
    user: plan?.dropsPrivileges ? undefined : runtime.user.name,
    why,
    json: (value) => JSON.stringify(value),
  };
}
