// `yo graceful:migrate [path]`: fixes the PID-1 problems of an existing image in place.
// Every write goes through Yeoman's conflicter; the original is kept next to it as *.orig.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { describeError, plan, textReport, unifiedDiff } from '../../lib/migrate/index.ts';
import type { Migration } from '../../lib/migrate/index.ts';

type Options = BaseOptions & { path?: string; backup?: boolean };

export default class MigrateGenerator extends Generator<Record<string, unknown>, Options> {
  private migration: Migration | null = null;
  private root = '';

  constructor(args: string[], options: Options) {
    super(args, options, { customInstallTask: true });
    this.argument('path', { type: String, required: false, default: '.', description: 'build context directory or Dockerfile' });
    this.option('backup', { type: Boolean, default: true, description: 'keep the original of each changed file as <file>.orig' });
  }

  initializing(): void {
    try {
      const { target, migration } = plan(this.options.path ?? '.', this.destinationRoot());
      this.migration = migration;
      this.root = target.root;
    } catch (e) {
      // A bad input ends the run before anything is queued for writing.
      throw new Error(describeError(e));
    }
  }

  writing(): void {
    const m = this.migration;
    if (!m) return;
    for (const [path, text] of m.changed) {
      const abs = join(this.root, path);
      this.fs.write(abs, text);
    }
  }

  install(): void {
    // Runs only after the rewrites were committed: a conflict that aborts or skips leaves no backup.
    const m = this.migration;
    if (!m || this.options.backup === false) return;
    for (const [path, text] of m.changed) {
      const abs = join(this.root, path);
      if (existsSync(`${abs}.orig`) || !existsSync(abs) || readFileSync(abs, 'utf8') !== text) continue;
      this.fs.write(`${abs}.orig`, m.original.get(path) ?? '');
    }
  }

  end(): void {
    const m = this.migration;
    if (!m) return;
    const where = relative(this.destinationRoot(), this.root) || '.';
    const fixed = m.before.findings.length - m.after.findings.length;
    for (const [path, text] of m.changed) this.log(unifiedDiff(path, m.original.get(path) ?? '', text));
    this.log(`${where}: ${m.before.findings.length} finding(s), ${Math.max(fixed, 0)} fixed automatically.`);
    if (m.after.findings.length > 0) {
      this.log('Still to do by hand:');
      this.log(textReport(m.after, { fixedNote: '' }));
    }
  }
}
