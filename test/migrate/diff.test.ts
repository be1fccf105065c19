// The unified diff migrate prints must apply with patch(1) and give exactly the new text.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../lib/migrate/diff.ts';

function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

function patched(before: string, diff: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrate-diff-'));
  writeFileSync(join(dir, 'f'), before);
  writeFileSync(join(dir, 'p'), diff);
  const r = spawnSync('patch', ['-s', '-p1', '-d', dir, '-i', join(dir, 'p')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`patch failed: ${r.stdout}${r.stderr}\n${diff}`);
  return readFileSync(join(dir, 'f'), 'utf8');
}

describe('unifiedDiff', () => {
  it('shows removed lines before added ones, with context', () => {
    expect(unifiedDiff('f', 'a\nb\nc\n', 'a\nB\nc\n')).toBe('--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
  });

  it('is empty for identical texts', () => {
    expect(unifiedDiff('f', 'same\n', 'same\n')).toBe('');
  });

  it.runIf(spawnSync('patch', ['--version']).status === 0)('random edits of 40-line files round-trip through patch', () => {
    const r = rng(7);
    for (let n = 0; n < 60; n++) {
      const lines = Array.from({ length: 40 }, (_, i) => `line ${i} ${Math.floor(r() * 5)}`);
      const after = [...lines];
      for (let k = 0; k < 1 + Math.floor(r() * 5); k++) {
        const at = Math.floor(r() * after.length);
        const op = r();
        if (op < 0.33) after.splice(at, 1);
        else if (op < 0.66) after.splice(at, 0, `new ${n}-${k}`);
        else after[at] = `changed ${n}-${k}`;
      }
      const before = lines.join('\n') + '\n';
      // Now and then the rewrite also differs in the final newline.
      const next = after.join('\n') + (n % 7 === 3 ? '' : '\n');
      expect(patched(before, unifiedDiff('f', before, next))).toBe(next);
    }
  });
});
