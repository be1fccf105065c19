// Negative controls: each broken pattern from PRIMER.md must be rejected by the same assertions that
// pass a correct service, naming the contract point it breaks.
import { describe, expect, it } from 'vitest';
import { runPidns } from '../../lib/verify/pidns.ts';
import { formatReport } from '../../lib/verify/report.ts';
import { GRACE_SECONDS, NODE, expectViolatedPoints, fateOf, fixture, freePort } from './helpers.ts';

const ready = { kind: 'log', regex: /^(ready|listening)/m } as const;
const graceMs = GRACE_SECONDS * 1000;

describe('broken stops are caught', () => {
  it('shell form under dash: sh stays PID 1, drops SIGTERM, the app never hears it', async () => {
    const report = await runPidns({ argv: ['/bin/sh', '-c', `python3 ${fixture('py-handler.py')}`], readiness: ready, grace: GRACE_SECONDS });
    const violations = expectViolatedPoints(report, { expectedExitCodes: [0], requiredOutput: ['cleanup: py-handler'] }, [1, 2, 3, 4, 5]);
    expect(report.treeBeforeStop[0]?.comm).toBe('sh');
    expect(report.sigkillNeeded).toBe(true);
    expect(report.pid1Exit.status).toBe(137);
    expect(fateOf(report, (argv) => argv.includes('py-handler.py') && !argv.startsWith('/bin/sh')).fate).toEqual({ kind: 'killed-at-teardown' });
    expect(violations).toContain('4: stop took ' + Math.round(report.stopMs!) + ' ms: the grace period (2 s) ran out and PID 1 was SIGKILLed');
  });

  it('a runtime without a handler as PID 1 needs the SIGKILL after the grace period', async () => {
    const report = await runPidns({ argv: [NODE, fixture('node-no-handler.mjs')], readiness: ready, grace: GRACE_SECONDS });
    expectViolatedPoints(report, { expectedExitCodes: [0] }, [4, 5]);
    expect(report.sigkillNeeded).toBe(true);
    expect(report.stopMs).toBeGreaterThanOrEqual(graceMs);
    expect(report.sigkilled).toContainEqual({ pid: report.pid1HostPid, comm: expect.any(String), by: 'stopper' });
    expect(report.pid1Exit).toMatchObject({ status: 137, signal: 'SIGKILL' });
  });

  it('a bash trap with a foreground child runs only after SIGKILL would have come', async () => {
    const report = await runPidns({ argv: ['bash', fixture('bash-trap-foreground.sh')], readiness: ready, grace: GRACE_SECONDS });
    expectViolatedPoints(report, { expectedExitCodes: [0], requiredOutput: ['cleanup: bash-trap-foreground'] }, [1, 2, 3, 4, 5]);
    expect(fateOf(report, (argv) => argv === 'sleep 1000').fate).toEqual({ kind: 'killed-at-teardown' });
  });

  it('tini exits with its child and the kernel SIGKILLs a setsid grandchild before its trap runs', async () => {
    const report = await runPidns({ argv: ['tini', '--', 'sh', fixture('multi-setsid-grandchild.sh')], readiness: ready, grace: GRACE_SECONDS });
    const violations = expectViolatedPoints(report, { expectedExitCodes: [0, 143], requiredOutput: ['cleanup: grandchild'] }, [1, 2, 3]);
    expect(report.sigkillNeeded).toBe(false);
    expect(report.stopMs).toBeLessThan(1000);
    const grandchild = fateOf(report, (argv) => argv.startsWith('sh -c trap'));
    expect(grandchild.fate, formatReport(report, [])).toEqual({ kind: 'killed-at-teardown' });
    const pid1Sid = report.treeBeforeStop[0]!.sid;
    expect(report.treeBeforeStop.find((p) => p.pid === grandchild.pid)?.sid).not.toBe(pid1Sid);
    expect(violations.find((v) => v.startsWith('3: PID 1 exited while'))).toMatch(/the kernel SIGKILLed (it|them)/);
  });

  it('a PID 1 that never reaps its children accumulates zombies', async () => {
    const report = await runPidns({ argv: ['python3', fixture('py-no-reap.py')], readiness: { kind: 'delay', ms: 400 }, grace: GRACE_SECONDS });
    expectViolatedPoints(report, { expectedExitCodes: [0] }, [6]);
    expect(report.zombies.filter((z) => z.beforeStop)).toHaveLength(3);
  });

  it('a drain that ignores the second stop signal is not forced to exit promptly', async () => {
    const report = await runPidns({ argv: ['python3', fixture('py-slow-drain.py')], readiness: ready, grace: GRACE_SECONDS, secondSignalAfterMs: 300 });
    expectViolatedPoints(report, { expectedExitCodes: [0] }, [4, 5, 7]);
    expect(report.stdout.text).toContain('already stopping');
  });

  it('exiting at once on SIGTERM is fast and exits 0, but resets the in-flight request', async () => {
    const port = await freePort();
    const report = await runPidns({
      argv: [NODE, fixture('node-exit-at-once.mjs')],
      env: { PORT: String(port) },
      readiness: { kind: 'http', url: `http://127.0.0.1:${port}/` },
      inflight: { url: `http://127.0.0.1:${port}/slow`, expectStatus: 200 },
      grace: GRACE_SECONDS,
    });
    const violations = expectViolatedPoints(report, { expectedExitCodes: [0], inflightMustComplete: true }, [4]);
    expect(report.inflight?.outcome).toBe('reset');
    expect(report.stopMs!).toBeLessThan(200);
    expect(violations[0]).toMatch(/^4: in-flight GET .*\/slow reset/);
  });
});
