// `graceful migrate [path]`: report PID-1 problems of an existing image and fix them.
// `--check` only reads and reports, and does not load Yeoman.
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { check, describeError, FORMATS, plan, report, type Format } from '../../lib/migrate/index.ts';

type RunGenerator = (namespace: string, args: string[], options: Record<string, unknown>) => Promise<void>;

interface Flags {
  check?: boolean;
  format: Format;
  force?: boolean;
  dryRun?: boolean;
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export function registerMigrate(program: Command, runGenerator: RunGenerator): Command {
  return program
    .command('migrate')
    .argument('[path]', 'build context directory or Dockerfile', '.')
    .description('Find and fix PID-1 mistakes in an existing Dockerfile and the scripts it runs (the `yo graceful:migrate` generator)')
    .option('--check', 'report only, write nothing; exit 1 on errors or warnings (notes do not count), 2 on unusable input')
    .addOption(new Option('--format <format>', 'report format').choices(FORMATS).default('text'))
    .option('--force', 'overwrite changed files without asking')
    .option('--dry-run', 'show the changes, write nothing')
    .action(async (path: string, flags: Flags) => {
      if (flags.check) {
        const r = check(path, flags.format, version());
        process.stdout.write(r.output);
        process.stderr.write(r.errors);
        process.exitCode = r.exitCode;
        return;
      }
      // Bad input is reported here, before Yeoman starts, so nothing is queued for writing.
      let planned;
      try {
        planned = plan(path);
      } catch (e) {
        process.stderr.write(describeError(e) + '\n');
        process.exitCode = 2;
        return;
      }
      // Machine-readable output describes what is found before fixing; the generator then applies it.
      if (flags.format !== 'text') process.stdout.write(report(planned.migration.before, flags.format, version()));
      await runGenerator('graceful:migrate', [path], { force: flags.force === true, dryRun: flags.dryRun === true });
    });
}
