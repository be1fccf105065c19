// Behaviour checks in the spirit of tini's and dumb-init's own suites, run against the PID 1 the multi
// model generates (tini + supervise.sh), with tiny fixture services: which signal gives which result,
// exit codes 0-255 passed on, 1000 orphans reaped, a second stop signal forcing the exit.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateContract, formatReport } from '../../lib/verify/report.ts';
import { generateProject } from '../support/generate.ts';
import { stageProject, stopStaged, type StagedProject } from '../support/run-generated.ts';

const GRACE = 5;
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/models/${name}`, import.meta.url));

let project: StagedProject;
/** PID 1 as the image runs it, up to the supervisor: the fixtures are its services. */
let supervisor: string[];

beforeAll(async () => {
  const dir = await generateProject({ runtime: 'bash', model: 'multi', init: 'tini', drain: 2, grace: GRACE });
  project = await stageProject(dir, 'bash');
  supervisor = project.spec.pid1.slice(0, project.spec.pid1.indexOf('/app/supervise.sh') + 1);
});

const ready = (name: string) => ({ kind: 'log' as const, regex: new RegExp(`^READY ${name}$`, 'm'), timeoutMs: 15_000 });

// Stop signals start the graceful stop; the others are passed to the services, as tini passes them to its
// one child. A service without a handler dies of any of them, and the container exits 128 + S like tini's.
const SIGNALS = [
  { signal: 'SIGTERM', stops: true, unhandled: 143 },
  { signal: 'SIGINT', stops: true, unhandled: 130 },
  { signal: 'SIGHUP', stops: false, unhandled: 129 },
  { signal: 'SIGUSR1', stops: false, unhandled: 138 },
  { signal: 'SIGUSR2', stops: false, unhandled: 140 },
] as const;

describe('signal table: what PID 1 does with each signal', () => {
  for (const { signal, stops, unhandled } of SIGNALS) {
    const name = signal.slice(3);
    it(`${signal}: ${stops ? 'graceful stop, exit 0' : 'passed to the service, which keeps running'} (service with a handler)`, async () => {
      const run = await stopStaged(project, {
        argv: [...supervisor, 'bash', fixture('print-signals.sh')],
        readiness: ready('signals'),
        stopSignal: signal,
        // A signal that does not stop is followed by SIGTERM, which must then stop it as usual.
        ...(stops ? {} : { signals: [{ signal: 'SIGTERM', afterMs: 300 }] }),
        grace: GRACE,
      });
      const { report } = run;
      const text = formatReport(report, []);
      expect(report.pid1Exit.status, text).toBe(0);
      expect(report.stdout.text, text).toContain(`GOT ${name}\n`);
      expect(report.stdout.text, text).toContain('CLEANUP:signals');
      if (!stops) {
        expect(report.stopMs, 'it ran on until the SIGTERM 300 ms later').toBeGreaterThan(300);
        expect(report.stdout.text.indexOf(`GOT ${name}`)).toBeLessThan(report.stdout.text.indexOf('GOT TERM'));
      } else {
        expect(report.stopMs, text).toBeLessThan(1000);
      }
      expect(report.sigkilled, text).toEqual([]);
    });

    it(`${signal}: exit ${unhandled} (service without a handler)`, async () => {
      const run = await stopStaged(project, {
        argv: [...supervisor, 'bash', fixture('no-handler.sh')],
        readiness: ready('plain'),
        stopSignal: signal,
        grace: GRACE,
      });
      const text = formatReport(run.report, []);
      expect(run.report.pid1Exit.status, text).toBe(unhandled);
      expect(run.report.stopMs, text).toBeLessThan(1000);
      expect(run.report.sigkilled, text).toEqual([]);
    });
  }
});

/** Runs PID 1 with one service that exits `code` at once; resolves with PID 1's exit status. */
function exitStatusOf(code: number): Promise<number | null> {
  const argv = ['unshare', '--pid', '--fork', '--mount-proc', '/usr/bin/tini', '--', 'bash', join(project.dir, 'supervise.sh'), 'bash', fixture('exit-after.sh'), String(code)];
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CRASH_AFTER: '0' }, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (status) => resolve(status));
  });
}

describe('exit codes', () => {
  it('a service exiting with 1-255 on its own: the container exits with the same code; 0 becomes 1', async () => {
    const codes = Array.from({ length: 256 }, (_, i) => i);
    const got: Record<number, number | null> = {};
    for (let i = 0; i < codes.length; i += 32) {
      const batch = codes.slice(i, i + 32);
      const statuses = await Promise.all(batch.map(exitStatusOf));
      batch.forEach((code, j) => (got[code] = statuses[j]!));
    }
    const expected = Object.fromEntries(codes.map((code) => [code, code === 0 ? 1 : code]));
    expect(got).toEqual(expected);
  }, 120_000);
});

describe('reaping', () => {
  it('1000 short-lived orphans are reaped: 0 zombies left, none lingering', async () => {
    const run = await stopStaged(project, {
      argv: [...supervisor, 'bash', fixture('orphans.sh'), '1000'],
      readiness: { kind: 'log', regex: /^ZOMBIES \d+$/m, timeoutMs: 60_000 },
      grace: GRACE,
    });
    const { report } = run;
    const violations = evaluateContract(report, { expectedExitCodes: [0], maxStopMs: 1000, maxZombies: 0, requiredOutput: ['CLEANUP:orphans'] });
    expect(violations, formatReport(report, violations)).toEqual([]);
    const text = formatReport(report, violations);
    expect(report.stdout.text, text).toContain('ORPHANS 1000 spawned');
    expect(report.stdout.text, `zombies counted in the namespace 1 s after the last orphan\n${text}`).toContain('ZOMBIES 0\n');
    // The watcher saw them come and go: the test really had 1000 orphans to reap.
    expect(report.fates.filter((f) => f.comm === 'sleep').length, `${report.notes.join('\n')}`).toBeGreaterThanOrEqual(1000);
  }, 90_000);
});

describe('a second stop signal during the stop forces the exit', () => {
  for (const [signal, status] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`${signal} twice: an orphan in the middle of a 10 s cleanup gets it again; exit ${status} within a second`, async () => {
      const run = await stopStaged(project, {
        argv: [...supervisor, 'bash', fixture('detach.sh'), 'bash', fixture('slow-cleanup.sh')],
        readiness: { kind: 'log', regex: /^(?=[\s\S]*^READY launcher$)(?=[\s\S]*^READY slow$)/m, timeoutMs: 15_000 },
        stopSignal: signal,
        secondSignalAfterMs: 500,
        grace: GRACE + 10,
      });
      const { report } = run;
      const violations = evaluateContract(report, { expectedExitCodes: [status], maxStopMs: 1500, maxMsAfterRepeatSignal: 1000 });
      expect(violations, formatReport(report, violations)).toEqual([]);
      expect(report.stdout.text).toContain('FORCED slow');
      expect(report.sigkilled).toEqual([]);
    });
  }
});
