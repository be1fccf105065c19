import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SHARED_CASES_DIR } from '../migrate/support.ts';

const COPY = fileURLToPath(new URL('../fixtures/cases', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));
}

// The repo keeps a copy of the shared cases so a clone alone can run the tests; it must not drift.
describe('test/fixtures/cases', () => {
  it('is byte-identical to ../shared/cases (or, without shared/, holds every case)', () => {
    const copy = files(COPY).map((f) => relative(COPY, f)).sort();
    expect(copy.filter((f) => f.endsWith('expect.json')).length).toBeGreaterThanOrEqual(12);
    if (!existsSync(SHARED_CASES_DIR)) return;
    const shared = files(SHARED_CASES_DIR).map((f) => relative(SHARED_CASES_DIR, f)).sort();
    expect(copy).toEqual(shared);
    for (const f of shared) expect(readFileSync(join(COPY, f)), f).toEqual(readFileSync(join(SHARED_CASES_DIR, f)));
  });
});
