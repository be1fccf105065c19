// `yo graceful:migrate` through yeoman-test: the generator rewrites in place through mem-fs and
// Yeoman's conflicter, keeps the originals, and writes nothing for a correct or unusable image.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import helpers from 'yeoman-test';
import type MigrateGenerator from '../../generators/migrate/index.ts';
import { CASES_DIR } from './support.ts';

const MIGRATE = fileURLToPath(new URL('../../generators/migrate/index.ts', import.meta.url));

describe('graceful:migrate generator', () => {
  it('rewrites case 15 in place with a backup and leaves other files untouched', async () => {
    const dir = join(CASES_DIR, '15-bash-trap-deferred-by-foreground-tail');
    const result = await helpers.run<MigrateGenerator>(MIGRATE)
      .onTargetDirectory((cwd) => cpSync(dir, cwd, { recursive: true }));
    const original = readFileSync(join(dir, 'entrypoint.sh'), 'utf8');
    result.assertFileContent('entrypoint.sh', /^wait "\$main_pid"$/m);
    result.assertFileContent('entrypoint.sh.orig', original);
    for (const f of ['Dockerfile', 'svc.py', 'CASE.md']) result.assertFileContent(f, readFileSync(join(dir, f), 'utf8'));
    result.assertNoFile('Dockerfile.orig');
  });

  it('takes a Dockerfile path as its argument', async () => {
    const dir = join(CASES_DIR, '22-nginx-stopsignal-sigterm');
    const result = await helpers.run<MigrateGenerator>(MIGRATE)
      .onTargetDirectory((cwd) => cpSync(dir, join(cwd, 'web'), { recursive: true }))
      .withArguments(['web/Dockerfile']);
    result.assertFileContent('web/Dockerfile', /^STOPSIGNAL SIGQUIT$/m);
    result.assertFile('web/Dockerfile.orig');
  });

  it('writes nothing for an image without findings', async () => {
    const result = await helpers.run<MigrateGenerator>(MIGRATE)
      .onTargetDirectory((cwd) => writeFileSync(join(cwd, 'Dockerfile'), 'FROM nginx:1.27\n'));
    result.assertFileContent('Dockerfile', 'FROM nginx:1.27\n');
    result.assertNoFile('Dockerfile.orig');
  });

  it('fails with file:line for a file that is not a Dockerfile, writing nothing', async () => {
    let cwd = '';
    await expect(helpers.run<MigrateGenerator>(MIGRATE)
      .onTargetDirectory((dir) => {
        cwd = dir;
        writeFileSync(join(dir, 'Dockerfile'), 'just some notes\n');
      })).rejects.toThrow(/^Dockerfile:1: error: not a Dockerfile/);
    expect(existsSync(join(cwd, 'Dockerfile.orig'))).toBe(false);
    expect(readFileSync(join(cwd, 'Dockerfile'), 'utf8')).toBe('just some notes\n');
  });
});
