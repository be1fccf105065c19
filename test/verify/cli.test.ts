// `graceful verify` end to end: exit 0 when the contract holds, 1 naming the violated points,
// 2 for bad usage naming the flag.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { NODE, fixture } from './helpers.ts';

function verify(...args: string[]) {
  const result = spawnSync(NODE, [fixture('graceful-verify.ts'), 'verify', ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, all: `${result.stdout}\n${result.stderr}` };
}

describe('graceful verify', () => {
  it('exits 0 and says PASS for a correct trap', () => {
    const run = verify('--grace', '2', '--ready-log', '^ready', '--', 'bash', fixture('bash-trap-wait.sh'));
    expect(run.status, run.all).toBe(0);
    expect(run.stdout).toContain('verdict: PASS');
    expect(run.stdout).toContain('cleanup: bash-trap-wait');
  });

  it('exits 1 and names points 4 and 5 when PID 1 ignores SIGTERM', () => {
    const run = verify('--grace', '1', '--ready-delay', '100', '--', 'sleep', '1000');
    expect(run.status, run.all).toBe(1);
    expect(run.stderr).toMatch(/contract violated: 4: stop took \d+ ms: the grace period \(1 s\) ran out/);
    expect(run.stderr).toContain('5: exit status 137');
  });

  it('--expect-exit accepts a deliberate 143 and --json prints the report', () => {
    const run = verify('--json', '--expect-exit', '0,143', '--ready-delay', '100', '--', 'tini', '--', 'sleep', '1000');
    expect(run.status, run.all).toBe(0);
    const { report, violations } = JSON.parse(run.stdout) as { report: { pid1Exit: { status: number }; backend: string }; violations: unknown[] };
    expect(report.backend).toBe('pidns');
    expect(report.pid1Exit.status).toBe(143);
    expect(violations).toEqual([]);
  });

  it('--crash kills an essential worker and expects a non-zero exit', () => {
    const run = verify('--crash', 'sleep 1000', '--expect-exit', '1', '--ready-log', '^ready', '--grace', '2', '--', 'bash', fixture('multi-essential-exit.sh'));
    expect(run.status, run.all).toBe(0);
    expect(run.stdout).toMatch(/signals: SIGKILL to essential process \d+ sleep at/);
  });

  const usage: [string[], RegExp][] = [
    [[], /--image IMG, --dockerfile PATH or -- CMD/],
    [['--grace', 'soon', '--', 'true'], /--grace must be a number/],
    [['--image', 'x', '--', 'true'], /use one of --image, -- CMD/],
    [['--port', '8080', '--', 'true'], /--port publishes a container port/],
    [['--context', '.', '--', 'true'], /--context needs --dockerfile/],
    [['--signal', 'SIGNOPE', '--', 'true'], /--signal: unknown signal "SIGNOPE"/],
    [['--expect-exit', '0,x', '--', 'true'], /--expect-exit must be an integer/],
    [['--ready-url', 'http://127.0.0.1:1/', '--ready-log', 'x', '--', 'true'], /one readiness flag, not --ready-url and --ready-log/],
    [['--no-such-flag', '--', 'true'], /unknown option '--no-such-flag'/],
  ];
  for (const [args, message] of usage) {
    it(`exits 2 on bad usage: ${args.join(' ') || '(nothing to verify)'}`, () => {
      const run = verify(...args);
      expect(run.status, run.all).toBe(2);
      expect(run.stderr).toMatch(message);
    });
  }
});
