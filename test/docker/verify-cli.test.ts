import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRACEFUL_BIN, runCli } from '../support/cli.ts';
import { generateProject } from '../support/generate.ts';
import { freePort } from '../support/ports.ts';
import { build, requireEngine } from './support.ts';

const graceful = (args: string[]) => runCli(GRACEFUL_BIN, args, { timeoutMs: 240_000 });

// Issue 3's acceptance: `graceful verify --image` passes a generated image and fails a naive one,
// naming SIGKILL; `--dockerfile` builds first.
describe('graceful verify against images on the engine', () => {
  let dir = '';
  let port = 0;
  beforeAll(async () => {
    await requireEngine();
    port = await freePort();
    dir = await generateProject({ runtime: 'node', model: 'single', init: 'tini', port });
    await build(dir, 'graceful-test/verify-good:latest');
    // The naive variant users write: the same app, shell-form CMD and no init.
    const naive = readFileSync(join(dir, 'Dockerfile'), 'utf8')
      .replace(/^ENTRYPOINT .*$/m, 'ENTRYPOINT []')
      .replace(/^CMD .*$/m, 'CMD node server.js');
    writeFileSync(join(dir, 'Dockerfile.naive'), naive);
  });

  const readiness = () => ['--port', String(port), '--ready-url', `http://127.0.0.1:${port}/healthz`];

  it('passes the generated image (exit 0) and reports the process tree and exit status', async () => {
    const run = await graceful(['verify', '--image', 'graceful-test/verify-good:latest', ...readiness(), '--grace', '5', '--inflight', `http://127.0.0.1:${port}/slow?ms=800`, '--max-stop-ms', '2000']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/tini/);
    expect(run.stdout).toMatch(/node server\.js/);
  });

  it('fails the naive shell-form image (exit 1), naming SIGKILL and the broken contract points', async () => {
    const run = await graceful(['verify', '--dockerfile', join(dir, 'Dockerfile.naive'), '--context', dir, ...readiness(), '--grace', '3', '--json']);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const { report, violations } = JSON.parse(run.stdout) as { report: { sigkillNeeded: boolean; pid1Exit: { status: number } }; violations: { point: number }[] };
    expect(report.sigkillNeeded).toBe(true);
    expect(report.pid1Exit.status).toBe(137);
    expect(violations.map((v) => v.point)).toEqual(expect.arrayContaining([4, 5]));
  });
});
