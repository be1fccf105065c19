import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { QueuedAdapter } from '@yeoman/adapter';
import { createEnv } from 'yeoman-environment';
import { headlessPrompt } from './headless-prompts.ts';

const GENERATORS: Record<string, string> = {
  'graceful:app': fileURLToPath(new URL('../../generators/app/index.ts', import.meta.url)),
  'graceful:migrate': fileURLToPath(new URL('../../generators/migrate/index.ts', import.meta.url)),
};

/** Runs one of our generators in `cwd` without a global yo; the same path the tests and `yo graceful` take. */
export async function runGenerator(namespace: string, args: string[], options: Record<string, unknown>, cwd = process.cwd()) {
  const path = GENERATORS[namespace];
  if (!path) throw new Error(`unknown generator ${namespace}`);
  mkdirSync(cwd, { recursive: true });
  const adapter = process.stdin.isTTY
    ? undefined
    : new QueuedAdapter({ promptModule: headlessPrompt as never });
  const env = createEnv({ cwd, ...(adapter ? { adapter } : {}) });
  env.register(path, { namespace });
  const flag = (name: string) => options[name] === true;
  await env.run([namespace, ...args], {
    ...options,
    force: flag('force'),
    bail: flag('bail'),
    dryRun: flag('dryRun'),
    skipInstall: true,
  });
}
