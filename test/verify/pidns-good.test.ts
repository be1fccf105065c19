// Services that stop correctly pass the very assertions the negative controls fail.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPidns } from '../../lib/verify/pidns.ts';
import { GRACE_SECONDS, NODE, expectContractHolds, fixture, freePort, violationsOf } from './helpers.ts';

const ready = { kind: 'log', regex: /^(ready|listening)/m } as const;

describe('a correct stop passes the contract', () => {
  const cases = [
    { name: 'node with a SIGTERM handler', argv: [NODE, fixture('node-handler.mjs')], marker: 'cleanup: node-handler', exit: 0 },
    { name: 'python with a SIGTERM handler', argv: ['python3', fixture('py-handler.py')], marker: 'cleanup: py-handler', exit: 0 },
    { name: 'bash trap with a background child and wait', argv: ['bash', fixture('bash-trap-wait.sh')], marker: 'cleanup: bash-trap-wait', exit: 0 },
    { name: 'tini in front of sleep (143 kept on purpose)', argv: ['tini', '--', 'sleep', '1000'], marker: null, exit: 143 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const readiness = c.marker === null ? ({ kind: 'delay', ms: 200 } as const) : ready;
      const report = await runPidns({ argv: c.argv, readiness, grace: GRACE_SECONDS });
      expectContractHolds(report, {
        expectedExitCodes: [c.exit],
        maxStopMs: 1000,
        requiredOutput: c.marker === null ? [] : [c.marker],
      });
      expect(report.method).toBe('proc-connector');
      expect(report.sigkillNeeded).toBe(false);
      expect(report.sigkilled).toEqual([]);
    });
  }

  it('a multi-process PID 1 that forwards and waits: every cleanup runs, nobody is SIGKILLed', async () => {
    const markers = mkdtempSync(join(tmpdir(), 'verify-markers-'));
    const report = await runPidns({
      argv: ['bash', '/fixtures/multi-forward-wait.sh'],
      binds: [
        { source: fixture(''), target: '/fixtures' },
        { source: markers, target: '/markers' },
      ],
      env: { MARKER_DIR: '/markers' },
      readiness: ready,
      grace: GRACE_SECONDS,
    });
    expectContractHolds(report, {
      expectedExitCodes: [0],
      requiredOutput: ['cleanup: pid1'],
      requiredFiles: [join(markers, 'worker')],
    });
    expect(report.treeBeforeStop[0]?.argv).toEqual(['bash', '/fixtures/multi-forward-wait.sh']);
    expect(report.treeBeforeStop[0]?.nsPid).toBe(1);
    expect(new Set(report.treeBeforeStop.map((p) => p.sid)).size).toBe(2);
  });

  it('an in-flight request completes while node drains', async () => {
    const port = await freePort();
    const report = await runPidns({
      argv: [NODE, fixture('node-handler.mjs')],
      env: { PORT: String(port) },
      readiness: { kind: 'http', url: `http://127.0.0.1:${port}/` },
      inflight: { url: `http://127.0.0.1:${port}/slow`, expectStatus: 200 },
      grace: GRACE_SECONDS,
    });
    expectContractHolds(report, { expectedExitCodes: [0], inflightMustComplete: true, requiredOutput: ['cleanup: node-handler'] });
    expect(report.inflight).toMatchObject({ outcome: 'completed', status: 200, bodyBytes: 5 });
    // The drain waited for the slow request, so the same report fails a budget shorter than that.
    expect(report.stopMs).toBeGreaterThan(200);
    expect(violationsOf(report, { expectedExitCodes: [0], maxStopMs: 100 })).toEqual([
      `4: stop took ${Math.round(report.stopMs!)} ms, budget 100 ms`,
    ]);
  });

  it('a second stop signal forces a prompt exit during a long drain', async () => {
    const report = await runPidns({
      argv: [NODE, fixture('node-slow-drain.mjs')],
      readiness: ready,
      grace: 3,
      secondSignalAfterMs: 300,
    });
    expectContractHolds(report, { expectedExitCodes: [130], requiredOutput: ['forced: node-slow-drain'], maxStopMs: 1000 });
    expect(report.signalsSent.map((s) => s.reason)).toEqual(['stop', 'repeat']);
  });
});
