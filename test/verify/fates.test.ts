// The per-process fates come from the kernel (proc connector), not from guesses: check them against
// children whose ends are known in advance.
import { describe, expect, it } from 'vitest';
import { runPidns } from '../../lib/verify/pidns.ts';
import { formatReport } from '../../lib/verify/report.ts';
import { GRACE_SECONDS, fateOf, fixture } from './helpers.ts';

describe('observed fates', () => {
  it('exit codes, deaths by signal and a SIGKILL from the parent are told apart', async () => {
    const report = await runPidns({ argv: ['bash', fixture('exit-fates.sh')], readiness: { kind: 'log', regex: /^ready/m }, grace: GRACE_SECONDS });
    const summary = formatReport(report, []);
    expect(report.method, summary).toBe('proc-connector');
    expect(report.pid1Exit, summary).toMatchObject({ status: 0, code: 0, signal: null });
    const children = report.fates.filter((f) => f.ppid === report.pid1HostPid);
    const subshell = children.find((f) => f.comm === 'bash');
    expect(subshell?.fate, summary).toEqual({ kind: 'exited', code: 7 });
    expect(report.fates.find((f) => f.ppid === subshell!.pid)?.fate, summary).toEqual({ kind: 'signaled', signal: 'SIGTERM' });
    const sleepsOfPid1 = children.filter((f) => f.argv.join(' ') === 'sleep 1000');
    expect(sleepsOfPid1.map((f) => f.fate), summary).toEqual([
      { kind: 'signaled', signal: 'SIGTERM' },
      { kind: 'signaled', signal: 'SIGKILL' },
    ]);
    const ignoresTerm = report.fates.filter((f) => f.comm === 'sleep' && f.fate.kind === 'signaled' && f.fate.signal === 'SIGKILL');
    expect(ignoresTerm, summary).toHaveLength(1);
    expect(report.sigkilled, summary).toEqual([{ pid: ignoresTerm[0]!.pid, comm: 'sleep', by: 'unknown' }]);
    expect(report.fates.filter((f) => f.fate.kind === 'killed-at-teardown'), summary).toEqual([]);
    expect(report.fates[0]).toMatchObject({ isPid1: true, nsPid: 1, fate: { kind: 'exited', code: 0 } });
  });

  it('every process still alive when PID 1 exits is reported as killed at namespace teardown', async () => {
    const report = await runPidns({
      argv: ['tini', '--', 'bash', '-c', 'sleep 1000 & setsid sleep 1001 & exec sleep 1002'],
      readiness: { kind: 'delay', ms: 300 },
      grace: GRACE_SECONDS,
    });
    const summary = formatReport(report, []);
    const byArgv = (argv: string) => fateOf(report, (a) => a === argv).fate;
    expect(report.pid1Exit.status, summary).toBe(143);
    expect(byArgv('sleep 1002')).toEqual({ kind: 'signaled', signal: 'SIGTERM' });
    expect(byArgv('sleep 1000')).toEqual({ kind: 'killed-at-teardown' });
    expect(byArgv('sleep 1001')).toEqual({ kind: 'killed-at-teardown' });
    expect(report.sigkilled.map((k) => k.by), summary).toEqual(['kernel-teardown', 'kernel-teardown']);
  });

  it('a process that exits on its own before the stop keeps its status and time', async () => {
    const report = await runPidns({
      argv: ['tini', '--', 'bash', '-c', '(exit 42) & sleep 1000'],
      readiness: { kind: 'delay', ms: 300 },
      grace: GRACE_SECONDS,
    });
    const early = report.fates.find((f) => f.fate.kind === 'exited' && f.fate.code === 42);
    expect(early, formatReport(report, [])).toBeDefined();
    expect(early!.endedAtMs!).toBeLessThan(0);
    expect(early!.runningAtStop).toBe(false);
  });
});

describe('the /proc polling fallback', () => {
  it('still tells a clean stop from a teardown, and says which method it used', async () => {
    const report = await runPidns({
      argv: ['tini', '--', 'sh', fixture('multi-setsid-grandchild.sh')],
      readiness: { kind: 'log', regex: /^ready/m },
      grace: GRACE_SECONDS,
      observe: 'proc-polling',
    });
    const summary = formatReport(report, []);
    expect(report.method, summary).toBe('proc-polling');
    expect(report.pid1Exit.status, summary).toBe(0);
    expect(report.stopMs!, summary).toBeLessThan(1000);
    expect(fateOf(report, (argv) => argv.startsWith('sh -c trap')).fate).toEqual({ kind: 'killed-at-teardown' });
    expect(formatReport(report, [])).toContain('observed via proc-polling');
  });

  it('infers SIGKILL for PID 1 from unshare exiting 1 after the grace period', async () => {
    const report = await runPidns({ argv: ['sleep', '1000'], readiness: { kind: 'delay', ms: 100 }, grace: 1, observe: 'proc-polling' });
    expect(report.sigkillNeeded, formatReport(report, [])).toBe(true);
    expect(report.pid1Exit).toMatchObject({ status: 137, signal: 'SIGKILL' });
  });
});
