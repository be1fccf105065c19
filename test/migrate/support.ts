// Shared helpers for the migrate tests: the shared cases, in-memory contexts, shellcheck.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/cases beside the repository (CI lays a copy of shared/ there too). */
export const SHARED_CASES_DIR = fileURLToPath(new URL('../../../shared/cases', import.meta.url));
/** The cases the tests read: shared/ when it is beside the clone, else the copy kept in the repo. */
export const CASES_DIR = existsSync(SHARED_CASES_DIR)
  ? SHARED_CASES_DIR
  : fileURLToPath(new URL('../fixtures/cases', import.meta.url));

export const caseNames = (): string[] => readdirSync(CASES_DIR).filter((n) => /^\d\d-/.test(n)).sort();

export function caseFiles(name: string): Record<string, string> {
  const dir = join(CASES_DIR, name);
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) if (statSync(join(dir, f)).isFile()) out[f] = readFileSync(join(dir, f), 'utf8');
  return out;
}

export interface Expect {
  readonly problems: string[];
  readonly expectedExitCodes: number[];
  readonly expectedExitWithinMs: number;
  readonly expectedCleanup: string[];
  readonly stopSignal?: string;
}

export const caseExpect = (name: string): Expect => JSON.parse(caseFiles(name)['expect.json']!) as Expect;

/** Effect tags describe what a stop looks like; every other tag names a cause a rule must find. */
export const EFFECT_TAGS = new Set(['sigkill-after-grace', 'children-sigkilled-on-pid1-exit', 'cleanup-skipped', 'zombies-accumulate', 'inflight-requests-dropped']);

export const hasShellcheck = existsSync('/usr/bin/shellcheck') || spawnSync('shellcheck', ['--version']).status === 0;

/** shellcheck's warning codes for a script, e.g. ["SC2086"]. */
export function shellcheckCodes(text: string, dialect: 'sh' | 'bash'): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'migrate-sc-'));
  const file = join(dir, 'script.sh');
  writeFileSync(file, text);
  const r = spawnSync('shellcheck', ['-s', dialect, '-f', 'json', file], { encoding: 'utf8' });
  const list = JSON.parse(r.stdout || '[]') as { code: number }[];
  return list.map((x) => `SC${x.code}`).sort();
}
