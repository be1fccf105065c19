import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import helpers from 'yeoman-test';
import type AppGenerator from '../../generators/app/index.ts';

export const APP_GENERATOR = fileURLToPath(new URL('../../generators/app/index.ts', import.meta.url));

/** A yeoman-test run of the app generator with typed options. */
export const runApp = (options: Record<string, string | boolean>) =>
  helpers.run<AppGenerator>(APP_GENERATOR).withOptions(options);

export interface GenerateFlags {
  runtime: string;
  model: string;
  init: string;
  name?: string;
  port?: number;
  drain?: number;
  grace?: number;
}

/** Generates a project into a fresh directory that outlives the run (signal and docker tests use it). */
export async function generateProject(flags: GenerateFlags, parent = mkdtempSync(join(tmpdir(), 'graceful-gen-'))) {
  const dir = join(parent, flags.name ?? 'demo');
  const options: Record<string, string | boolean> = { yes: true, name: flags.name ?? 'demo' };
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) options[k] = String(v);
  await helpers.run<AppGenerator>(APP_GENERATOR).inDir(dir).withOptions(options);
  return dir;
}
