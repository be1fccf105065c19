import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { appOptions } from '../../generators/app/command.ts';
import { runGenerator } from '../../lib/cli/run-generator.ts';

export function registerNew(program: Command): void {
  const cmd = program
    .command('new')
    .argument('[dir]', 'directory to write the service into', '.')
    .description('Generate a service whose PID 1 stops gracefully (the `yo graceful` generator)');
  for (const o of appOptions) {
    const choices = o.choices?.().map((c) => c.value);
    cmd.option(`--${o.name} <value>`, o.description + (choices ? ` (${choices.join(', ')})` : ''));
  }
  cmd
    .option('-y, --yes', 'take defaults for everything not given; ask nothing')
    .option('--force', 'overwrite changed files without asking')
    .option('--bail', 'stop at the first file that would change')
    .option('--dry-run', 'show what would be written, write nothing')
    .action(async (dir: string, flags: Record<string, unknown>) => {
      const target = resolve(dir);
      const existed = existsSync(target);
      try {
        await runGenerator('graceful:app', [], flags, target);
      } catch (error) {
        // Nothing was written on failure; do not leave behind the empty directory we made for it.
        if (!existed && existsSync(target) && readdirSync(target).length === 0) rmdirSync(target);
        throw error;
      }
    });
}
