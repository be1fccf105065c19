// Contract point 8: in a multi-process service, the death of an essential process must stop the
// service with a non-zero status. The harness kills one worker instead of stopping PID 1.
import { describe, expect, it } from 'vitest';
import { runPidns } from '../../lib/verify/pidns.ts';
import { GRACE_SECONDS, expectContractHolds, expectViolatedPoints, fateOf, fixture } from './helpers.ts';

const ready = { kind: 'log', regex: /^ready/m } as const;
const crash = { argvIncludes: 'sleep 1000' };

describe('the death of an essential process', () => {
  it('stops a PID 1 that watches its workers, with a non-zero status', async () => {
    const report = await runPidns({ argv: ['bash', fixture('multi-essential-exit.sh')], readiness: ready, grace: GRACE_SECONDS, crash });
    expectContractHolds(report, { expectedExitCodes: [1], requiredOutput: ['a worker died (status 137)'] });
    expect(report.crashed).toMatchObject({ comm: 'sleep', argv: ['sleep', '1000'], signal: 'SIGKILL' });
    expect(fateOf(report, (argv) => argv === 'sleep 1001').fate).toEqual({ kind: 'signaled', signal: 'SIGTERM' });
  });

  it('is caught when PID 1 goes on waiting for the others', async () => {
    const report = await runPidns({ argv: ['bash', fixture('multi-essential-ignored.sh')], readiness: ready, grace: GRACE_SECONDS, crash });
    const violations = expectViolatedPoints(report, { expectedExitCodes: [1] }, [1, 3, 4, 5, 8]);
    expect(violations).toContain(`8: after ${report.crashed!.pid} sleep died of SIGKILL, PID 1 kept running until SIGKILLed after the grace period`);
  });

  it('reports an unusable run when no process matches the one to kill', async () => {
    const report = await runPidns({ argv: ['bash', fixture('multi-essential-exit.sh')], readiness: ready, grace: GRACE_SECONDS, crash: { argvIncludes: 'no-such-worker' } });
    const [violation] = expectViolatedPoints(report, {}, [0]);
    expect(violation).toBe('0: service never became ready: no process\'s argv contains "no-such-worker"');
    expect(report.crashed).toBeNull();
  });
});
