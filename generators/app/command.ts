import type { Answers } from '../../lib/answers.ts';
import { inits, models, runtimes } from '../../lib/registry/matrix.ts';
import { supervisors } from '../../lib/registry/models/multi.ts';

/** One declaration per answer: the CLI flag, the question, its choices and default (STYLE: declare once). */
export interface AppOption {
  name: keyof Answers;
  description: string;
  /** Choices for list questions and for --help; omitted for free text. */
  choices?: () => { value: string; name: string }[];
  /** Default given the answers so far (runtime decides the port). */
  default: (answers: Partial<Record<keyof Answers, unknown>>, folder: string) => string | undefined;
  /** Asked only when this holds for the answers so far. */
  when?: (answers: Partial<Record<keyof Answers, unknown>>) => boolean;
}

const modelOf = (answers: Partial<Record<keyof Answers, unknown>>) =>
  models[String(answers.model ?? 'single') as keyof typeof models];

const runtimeOf = (answers: Partial<Record<keyof Answers, unknown>>) =>
  runtimes[String(answers.runtime ?? 'node') as keyof typeof runtimes];

export const appOptions: AppOption[] = [
  {
    name: 'name',
    description: 'Service name (image and directory name: lowercase, digits, . _ -)',
    default: (_a, folder) => folder,
  },
  {
    name: 'runtime',
    description: 'Runtime',
    choices: () => Object.values(runtimes).map((r) => ({ value: r.id, name: `${r.id}: ${r.summary}` })),
    default: () => 'node',
  },
  {
    name: 'model',
    description: 'Process model',
    choices: () =>
      Object.values(models)
        .filter((m) => m.available)
        .map((m) => ({ value: m.id, name: `${m.id}: ${m.summary}` })),
    default: () => 'single',
  },
  {
    name: 'init',
    description: 'Init process (PID 1)',
    choices: () => Object.values(inits).map((i) => ({ value: i.id, name: `${i.id}: ${i.summary}` })),
    default: () => 'tini',
  },
  {
    name: 'supervisor',
    description: 'Supervisor of the services under the init (multi model)',
    choices: () => Object.values(supervisors).map((s) => ({ value: s.id, name: `${s.id}: ${s.summary}` })),
    default: (answers) => modelOf(answers)?.supervisors?.[0],
    when: (answers) => modelOf(answers)?.supervisors !== undefined,
  },
  {
    name: 'port',
    description: 'HTTP port (not for the bash worker)',
    default: (answers) => (runtimeOf(answers)?.defaultPort ?? '').toString() || undefined,
    when: (answers) => runtimeOf(answers)?.http ?? true,
  },
  {
    name: 'drain',
    description: 'Drain budget in seconds: how long in-flight work may take after the stop signal',
    default: () => '5',
  },
  {
    name: 'grace',
    description: 'Stop grace period in seconds the service is designed for (docker stop -t, terminationGracePeriodSeconds)',
    default: () => '10',
  },
];
