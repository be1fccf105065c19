import { inits, isSupported, models, runtimes } from './registry/matrix.ts';
import type { InitId, ModelId, RuntimeId, SupervisorId } from './registry/types.ts';

/** What the user chose, as typed values; stored in .yo-rc.json as given. */
export interface Answers {
  name: string;
  runtime: RuntimeId;
  model: ModelId;
  init: InitId;
  /** Multi model only: who supervises the services under the init. */
  supervisor?: SupervisorId;
  port?: number;
  drain: number;
  grace: number;
}

/** Raw answers as they arrive from flags, prompts or .yo-rc.json (numbers may be strings). */
export type RawAnswers = Partial<Record<keyof Answers, unknown>>;

/** Bad input: names the flag and what is allowed; the CLI prints only the message. */
export class InputError extends Error {
  override name = 'InputError';
}

// Docker repository names and directory names: lowercase, digits, separators inside, short enough for both.
const SERVICE_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export function checkName(value: unknown): string {
  const name = String(value ?? '');
  if (!SERVICE_NAME.test(name) || name.length > 63) {
    throw new InputError(
      `--name: '${name}' is not a valid service name; use 1-63 lowercase letters, digits and single . _ - inside (e.g. orders-api)`,
    );
  }
  return name;
}

function pick<T extends string>(flag: string, value: unknown, table: Record<T, unknown>): T {
  const id = String(value ?? '');
  if (!Object.hasOwn(table, id)) {
    throw new InputError(`--${flag}: unknown value '${id}'; allowed: ${Object.keys(table).join(', ')}`);
  }
  return id as T;
}

function wholeNumber(flag: string, value: unknown, min: number, max: number): number {
  const text = String(value ?? '').trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) {
    throw new InputError(`--${flag}: '${text}' is not a whole number from ${min} to ${max}`);
  }
  return n;
}

/** Validates everything before anything is written; throws InputError naming the first bad flag. */
export function validateAnswers(raw: RawAnswers): Answers {
  const name = checkName(raw.name);
  const runtime = pick('runtime', raw.runtime, runtimes);
  const model = pick('model', raw.model, models);
  const init = pick('init', raw.init, inits);
  const m = models[model];
  if (!m.available) {
    const ready = Object.values(models).filter((x) => x.available).map((x) => x.id);
    throw new InputError(`--model: '${model}' (${m.title}) is not available yet; allowed: ${ready.join(', ')}`);
  }
  if (!m.runtimes.includes(runtime)) {
    const forRuntime = Object.values(models).filter((x) => x.available && x.runtimes.includes(runtime)).map((x) => x.id);
    throw new InputError(`--model: '${model}' is not available for --runtime ${runtime}; models for ${runtime}: ${forRuntime.join(', ')}`);
  }
  if (!isSupported(runtime, model, init)) {
    throw new InputError(`--init: '${init}' is not supported with --runtime ${runtime} --model ${model}; allowed inits: ${m.inits.join(', ')}`);
  }
  let supervisor: SupervisorId | undefined;
  const supervisorGiven = raw.supervisor !== undefined && raw.supervisor !== null && raw.supervisor !== '';
  if (m.supervisors) {
    const id = String(supervisorGiven ? raw.supervisor : m.supervisors[0]);
    if (!(m.supervisors as readonly string[]).includes(id)) {
      throw new InputError(`--supervisor: unknown value '${id}'; allowed with --model ${model}: ${m.supervisors.join(', ')}`);
    }
    supervisor = id as SupervisorId;
  } else if (supervisorGiven) {
    const withSupervisors = Object.values(models).filter((x) => x.available && x.supervisors).map((x) => x.id);
    throw new InputError(`--supervisor: only for --model ${withSupervisors.join(', ') || 'multi'}; leave it out with --model ${model}`);
  }
  const rt = runtimes[runtime];
  let port: number | undefined;
  if (rt.http) {
    port = wholeNumber('port', raw.port ?? rt.defaultPort, 1, 65535);
  } else if (raw.port !== undefined && raw.port !== null && raw.port !== '') {
    throw new InputError(`--port: the ${runtime} runtime is a worker without an HTTP port; leave --port out`);
  }
  const drain = wholeNumber('drain', raw.drain ?? 5, 1, 3600);
  const grace = wholeNumber('grace', raw.grace ?? 10, 1, 3600);
  if (drain >= grace) {
    throw new InputError(
      `--drain: the drain budget (${drain} s) must be below the stop grace period (--grace ${grace} s), or the orchestrator SIGKILLs mid-drain`,
    );
  }
  return { name, runtime, model, init, ...(supervisor ? { supervisor } : {}), ...(port === undefined ? {} : { port }), drain, grace };
}
