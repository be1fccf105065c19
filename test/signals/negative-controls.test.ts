import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runtimes } from '../../lib/registry/runtimes/index.ts';
import { evaluateContract, formatReport, type Expectations } from '../../lib/verify/report.ts';
import { generateProject } from '../support/generate.ts';
import { freePort } from '../support/ports.ts';
import { stageProject, stopStaged, type StagedProject, type StopRun } from '../support/run-generated.ts';
import { serviceReadiness } from '../support/readiness.ts';

// The same assertions as the generated-service tests must reject each naive setup: that is how we
// know those tests can fail. Grace is short because each of these ends in SIGKILL.
const GRACE = 2;
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/naive/${name}`, import.meta.url));

function expectRejected(run: StopRun, expectations: Expectations) {
  const violations = evaluateContract(run.report, expectations);
  const points = violations.map((v) => v.point);
  expect(points, formatReport(run.report, violations)).toContain(4);
  expect(run.report.sigkillNeeded, 'the stopper had to SIGKILL after the grace period').toBe(true);
  expect(run.report.pid1Exit.status).toBe(137);
}

for (const runtime of Object.values(runtimes)) {
  describe(`${runtime.id}: shell-form CMD under dash (the naive Dockerfile) is rejected`, () => {
    let project: StagedProject;
    beforeAll(async () => {
      const port = runtime.http ? await freePort() : undefined;
      const dir = await generateProject({ runtime: runtime.id, model: 'single', init: 'none', ...(port ? { port } : {}) });
      project = await stageProject(dir, runtime.id, port);
    });

    it('sh -c keeps dash as PID 1: SIGTERM is dropped, SIGKILL after the grace period', async () => {
      const shellForm = ['/bin/sh', '-c', runtime.appArgv.join(' ')];
      const readiness = serviceReadiness(project.port, 30_000);
      const run = await stopStaged(project, { argv: shellForm, readiness, grace: GRACE });
      expect(run.report.treeBeforeStop[0]?.comm).toBe('sh');
      expectRejected(run, { expectedExitCodes: [runtime.exitStatus.graceful], maxStopMs: 1000, requiredOutput: ['CLEANUP:demo'] });
    });
  });
}

describe('naive setups without the generator', () => {
  it('node with no SIGTERM handler as PID 1 ignores the stop', async () => {
    const port = await freePort();
    const project: StagedProject = {
      dir: '',
      spec: { entrypoint: [], cmd: [], pid1: [], workdir: '/', env: {}, from: [] },
      staged: { binds: [], env: {}, pathPrepend: [fileURLToPath(new URL('../../node_modules/.bin', import.meta.url))] },
      port,
    };
    const run = await stopStaged(project, {
      argv: ['node', fixture('no-handler.mjs')],
      readiness: { kind: 'http', url: `http://127.0.0.1:${port}/`, timeoutMs: 15_000 },
      grace: GRACE,
    });
    expectRejected(run, { expectedExitCodes: [0], maxStopMs: 1000 });
  });

  it('a bash trap behind a foreground child never runs', async () => {
    const project: StagedProject = {
      dir: '',
      spec: { entrypoint: [], cmd: [], pid1: [], workdir: '/', env: {}, from: [] },
      staged: { binds: [], env: {}, pathPrepend: [] },
    };
    const run = await stopStaged(project, {
      argv: ['bash', fixture('trap-foreground.sh')],
      readiness: { kind: 'log', regex: /^READY /m, timeoutMs: 15_000 },
      grace: GRACE,
    });
    expectRejected(run, { expectedExitCodes: [0], maxStopMs: 1000, requiredOutput: ['CLEANUP:demo'] });
  });
});
