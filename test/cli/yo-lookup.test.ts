import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createEnv } from 'yeoman-environment';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// `yo graceful` finds generators by Yeoman's lookup of the package; yo itself refuses to run as root,
// so this drives the same lookup through yeoman-environment (the README shows yo as a normal user).
describe('Yeoman lookup (the `yo graceful` path)', () => {
  it('finds graceful:app and graceful:migrate in this package and runs `graceful` as yo would', async () => {
    const cwd = join(mkdtempSync(join(tmpdir(), 'graceful-yo-')), 'lookup-demo');
    // What `npm link` / a global install gives yo: a node_modules folder holding generator-graceful.
    const globalModules = join(mkdtempSync(join(tmpdir(), 'graceful-global-')), 'node_modules');
    mkdirSync(globalModules);
    symlinkSync(ROOT, join(globalModules, 'generator-graceful'));
    const env = createEnv({ cwd });
    const found = await env.lookup({ npmPaths: [globalModules], packagePatterns: ['generator-graceful'] });
    const namespaces = found.map((m) => m.namespace).sort();
    expect(namespaces).toEqual(expect.arrayContaining(['graceful:app', 'graceful:migrate']));
    expect(new Set(namespaces).size).toBe(namespaces.length);
    await env.run(['graceful', '--runtime', 'bash', '--yes'], { skipInstall: true });
    expect(existsSync(join(cwd, 'worker.sh'))).toBe(true);
    expect(readFileSync(join(cwd, 'Dockerfile'), 'utf8')).toContain('CMD ["bash","/app/worker.sh"]');
  });
});
