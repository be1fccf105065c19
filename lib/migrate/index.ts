// Public entry points of `migrate`, shared by the CLI (`--check` needs no Yeoman) and the generator.
import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fsContext, type BuildContext } from './context.ts';
import { analyze, migrate, type Analysis, type Migration } from './analyze.ts';
import { jsonReport } from './report/json.ts';
import { sarifReport } from './report/sarif.ts';
import { textReport } from './report/text.ts';
import { MigrateError } from './types.ts';

export { analyze, migrate, type Analysis, type Migration } from './analyze.ts';
export { unifiedDiff } from './diff.ts';
export { textReport } from './report/text.ts';
export { RULES } from './rules/index.ts';
export { MigrateError } from './types.ts';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export interface Target {
  /** Build context directory (absolute). */
  readonly root: string;
  /** Dockerfile path relative to the root. */
  readonly dockerfile: string;
  readonly ctx: BuildContext;
}

/** `path` is a build context directory (its Dockerfile is used) or a Dockerfile inside one. */
export function target(path: string, cwd = process.cwd()): Target {
  const abs = resolve(cwd, path);
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    throw new MigrateError(path, 1, 'no such file or directory');
  }
  const root = isDir ? abs : dirname(abs);
  const dockerfile = isDir ? 'Dockerfile' : basename(abs);
  return { root, dockerfile, ctx: fsContext(root) };
}

export function report(a: Analysis, format: Format, version: string): string {
  if (format === 'json') return jsonReport(a);
  if (format === 'sarif') return sarifReport(a, version);
  return textReport(a);
}

export interface CheckResult {
  readonly output: string;
  readonly errors: string;
  /** 0: nothing but notes, 1: errors or warnings, 2: the input could not be analysed. */
  readonly exitCode: 0 | 1 | 2;
}

/** `graceful migrate --check`: analyse only, never write. */
export function check(path: string, format: Format, version: string, cwd = process.cwd()): CheckResult {
  try {
    const t = target(path, cwd);
    const a = analyze(t.ctx, t.dockerfile);
    return { output: report(a, format, version), errors: '', exitCode: a.findings.some((f) => f.severity !== 'note') ? 1 : 0 };
  } catch (e) {
    return { output: '', errors: describeError(e) + '\n', exitCode: 2 };
  }
}

/** The changes migrate would make, computed in memory. */
export function plan(path: string, cwd = process.cwd()): { target: Target; migration: Migration } {
  const t = target(path, cwd);
  return { target: t, migration: migrate(t.ctx, t.dockerfile) };
}

/** One line for the user; an unexpected error is reported as a bug without a stack trace. */
export function describeError(e: unknown): string {
  if (e instanceof MigrateError) return e.format();
  return `error: internal error in migrate: ${e instanceof Error ? e.message : String(e)} (please report this with the Dockerfile)`;
}
