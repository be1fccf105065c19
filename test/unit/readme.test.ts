import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { supportTable } from '../../lib/docs/support-table.ts';

describe('README', () => {
  it('has the support table the registry generates (run `npm run docs` after changing the registry)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(supportTable());
  });
});
