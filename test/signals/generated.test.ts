import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allCombinations } from '../../lib/registry/matrix.ts';
import { runtimes } from '../../lib/registry/runtimes/index.ts';
import { evaluateContract, formatReport, type Expectations } from '../../lib/verify/report.ts';
import { generateProject } from '../support/generate.ts';
import { freePort } from '../support/ports.ts';
import { stageProject, stopStaged, type StagedProject, type StopRun } from '../support/run-generated.ts';
import { serviceReadiness } from '../support/readiness.ts';

const GRACE = 3;
const DRAIN = 2;
const SLOW_MS = 1500;

/** Fails with the whole stop report (output, process tree, fates) so a red test explains itself. */
function expectContract(run: StopRun, expectations: Expectations) {
  const violations = evaluateContract(run.report, expectations);
  expect(violations, formatReport(run.report, violations)).toEqual([]);
}

const readiness = (project: StagedProject) => serviceReadiness(project.port, 30_000);

for (const c of allCombinations()) {
  const runtime = runtimes[c.runtime];
  const graceful = runtime.exitStatus.graceful;

  describe(`${c.id}: the generated PID 1 stops gracefully (pidns)`, () => {
    let project: StagedProject;
    beforeAll(async () => {
      const port = runtime.http ? await freePort() : undefined;
      const dir = await generateProject({ runtime: c.runtime, model: c.model, init: c.init, drain: DRAIN, grace: GRACE, ...(port ? { port } : {}) });
      project = await stageProject(dir, c.runtime, port);
    });

    const cleanup = (run: StopRun) => ({
      requiredOutput: ['CLEANUP:demo'],
      requiredFiles: [join(run.markerDir, 'demo.cleanup')],
    });

    it(`idle: exits ${graceful} in well under a second, cleanup ran, nothing SIGKILLed`, async () => {
      // A worker is idle between short jobs; its in-flight test below gives it a long one.
      const run = await stopStaged(project, { readiness: readiness(project), grace: GRACE, ...(project.port ? {} : { env: { JOB_SECONDS: '0.2' } }) });
      expectContract(run, { expectedExitCodes: [graceful], maxStopMs: 1000, ...cleanup(run) });
    });

    it(`in flight: the ${SLOW_MS} ms request gets its full response before PID 1 exits`, async () => {
      const inflight = project.port === undefined ? undefined : { url: `http://127.0.0.1:${project.port}/slow?ms=${SLOW_MS}`, expectStatus: 200 };
      const run = await stopStaged(project, {
        readiness: readiness(project),
        grace: GRACE,
        ...(inflight ? { inflight } : { env: { JOB_SECONDS: String(SLOW_MS / 1000) } }),
      });
      expectContract(run, {
        expectedExitCodes: [graceful],
        maxStopMs: DRAIN * 1000,
        ...(inflight ? { inflightMustComplete: true } : { requiredOutput: [/SIGNAL[^\n]*\n(?:.*\n)*JOB \d+ done/, 'CLEANUP:demo'] }),
        ...(inflight ? cleanup(run) : { requiredFiles: cleanup(run).requiredFiles }),
      });
      if (inflight) expect(run.report.stopMs).toBeGreaterThan(SLOW_MS / 2);
    });

    it('a second SIGTERM during the drain forces an immediate exit 143', async () => {
      const slow = project.port === undefined ? undefined : { url: `http://127.0.0.1:${project.port}/slow?ms=10000` };
      const run = await stopStaged(project, {
        readiness: readiness(project),
        grace: GRACE + 10,
        secondSignalAfterMs: 300,
        ...(slow ? { inflight: slow } : { env: { JOB_SECONDS: '10' } }),
      });
      const violations = evaluateContract(run.report, { expectedExitCodes: [143], maxStopMs: 1500, maxMsAfterRepeatSignal: 1000 });
      expect(violations, formatReport(run.report, violations)).toEqual([]);
      expect(run.report.sigkillNeeded).toBe(false);
    });
  });
}
