// The process models beyond `single`, run as PID 1 of a fresh pid namespace: every process's cleanup
// (a setsid grandchild's too), who exits last, what the container exits with when a service crashes,
// and the negative controls: tini and dumb-init alone lose the grandchild's cleanup.
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { allCombinations } from '../../lib/registry/matrix.ts';
import { runtimes } from '../../lib/registry/runtimes/index.ts';
import type { ReadinessProbe } from '../../lib/verify/readiness.ts';
import { evaluateContract, formatReport, type Expectations, type StopReport } from '../../lib/verify/report.ts';
import { generateProject } from '../support/generate.ts';
import { freePort } from '../support/ports.ts';
import { stageProject, stopStaged, type StagedProject } from '../support/run-generated.ts';
import { serviceReadiness } from '../support/readiness.ts';

const GRACE = 5;
const DRAIN = 2;
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/models/${name}`, import.meta.url));

/** A log probe that passes once every line in `ready` has appeared (in any order). */
function allReady(...names: string[]): ReadinessProbe {
  const lookaheads = names.map((n) => `(?=[\\s\\S]*^READY ${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\s|$))`).join('');
  return { kind: 'log', regex: new RegExp(`^${lookaheads}`, 'm'), timeoutMs: 30_000 };
}

function expectContract(report: StopReport, expectations: Expectations) {
  const violations = evaluateContract(report, expectations);
  expect(violations, formatReport(report, violations)).toEqual([]);
}

/**
 * supervisord's pidfile and socket go to a fresh directory (on the host, /tmp is shared by the tests
 * running at once), and its programs' output to a file there: the harness's stdout is a socket, which
 * supervisord cannot open as /dev/stdout (ENXIO); Docker's is a pipe.
 */
function runDir() {
  const dir = mkdtempSync(join(tmpdir(), 'graceful-supervisord-'));
  return { SUPERVISOR_RUN_DIR: dir, SUPERVISOR_LOG: join(dir, 'programs.log') };
}
const programLog = (env: { SUPERVISOR_LOG: string }) => {
  try {
    return readFileSync(env.SUPERVISOR_LOG, 'utf8');
  } catch {
    return '';
  }
};
/** supervisord starts its programs about a second after itself; their READY lines go to the log file. */
const SUPERVISORD_READY = { kind: 'delay' as const, ms: 3000 };
/** For runs that end on their own: never ready, so the harness waits for PID 1's exit and sends no signal. */
const UNTIL_EXIT: ReadinessProbe = { kind: 'log', regex: /(?!)/, timeoutMs: 30_000 };
const markers = (dir: string, names: string[]) => names.map((n) => join(dir, `${n}.cleanup`));
const fateOf = (report: StopReport, match: (argv: string[]) => boolean) => report.fates.find((f) => match(f.argv));

async function staged(runtime: string, model: string, init: string, supervisor?: string): Promise<StagedProject> {
  const rt = runtimes[runtime as keyof typeof runtimes];
  const port = rt.http ? await freePort() : undefined;
  // generateProject passes every flag on; --supervisor is not among its typed ones.
  const flags = { runtime, model, init, drain: DRAIN, grace: GRACE, ...(port ? { port } : {}), ...(supervisor ? { supervisor } : {}) };
  const dir = await generateProject(flags as Parameters<typeof generateProject>[0]);
  return stageProject(dir, runtime, port);
}

/** PID 1 is the last to go: every other process ended no later than it did. */
function expectPid1Last(report: StopReport) {
  const pid1 = report.fates.find((f) => f.isPid1);
  expect(pid1?.endedAtMs, formatReport(report, [])).not.toBeNull();
  for (const f of report.fates.filter((x) => !x.isPid1 && x.runningAtStop)) {
    expect(f.endedAtMs ?? Infinity, `${f.pid} ${f.argv.join(' ')} ended after PID 1`).toBeLessThanOrEqual(pid1!.endedAtMs!);
  }
}

for (const c of allCombinations().filter((x) => x.model === 'multi')) {
  describe(`${c.id}: every process of the multi model stops gracefully (pidns)`, () => {
    let project: StagedProject;
    /** The services the generated CMD gives the supervisor (after `bash /app/supervise.sh`). */
    let services: string[];
    beforeAll(async () => {
      project = await staged(c.runtime, c.model, c.init);
      services = project.spec.cmd.slice(2);
    });

    const fullStop = (dir: string): Expectations => ({
      expectedExitCodes: [0],
      maxStopMs: 1000,
      requiredOutput: ['CLEANUP:demo\n', 'CLEANUP:demo-sidecar', 'CLEANUP:demo-agent'],
      requiredFiles: markers(dir, ['demo', 'demo-sidecar', 'demo-agent']),
    });

    it('the agent in its own session cleans up too; PID 1 exits 0, last, in well under a second', async () => {
      const run = await stopStaged(project, { readiness: allReady('demo', 'demo-sidecar', 'demo-agent'), grace: GRACE });
      const { report } = run;
      expectContract(report, fullStop(run.markerDir));
      const sidecar = report.treeBeforeStop.find((p) => p.argv.join(' ') === 'bash /app/sidecar.sh');
      const agent = report.treeBeforeStop.find((p) => p.argv.at(-1) === 'agent');
      expect(agent?.ppid, 'the agent is the sidecar’s child').toBe(sidecar?.pid);
      expect(agent?.sid, 'the agent has a session of its own').not.toBe(sidecar?.sid);
      expect(report.sigkilled).toEqual([]);
      expectPid1Last(report);
    });

    for (const [init, argv] of [
      ['tini', ['/usr/bin/tini', '--']],
      ['dumb-init', ['/usr/bin/dumb-init', '--']],
    ] as const) {
      it(`negative control: ${init} alone with a start-both script loses the agent's cleanup`, async () => {
        const naive = [...argv, 'bash', fixture('naive-multi.sh'), ...services];
        const run = await stopStaged(project, { argv: naive, readiness: allReady('demo', 'demo-sidecar', 'demo-agent'), grace: GRACE });
        const violations = evaluateContract(run.report, fullStop(run.markerDir));
        const text = formatReport(run.report, violations);
        // The same assertions as above reject it: the agent's marker is missing, the kernel SIGKILLed it.
        expect(violations.map((v) => v.point), text).toEqual(expect.arrayContaining([2, 3]));
        expect(violations.map((v) => v.message).join('\n'), text).toContain('demo-agent');
        expect(fateOf(run.report, (a) => a.at(-1) === 'agent')?.fate.kind, text).toBe('killed-at-teardown');
      });
    }

    it('a service that crashes with 3 stops the container with 3, after the others cleaned up', async () => {
      const markerDir = mkdtempSync(join(tmpdir(), 'graceful-markers-'));
      const crasher = ['bash', fixture('exit-on-usr1.sh'), '3'];
      const running = stopStaged(project, {
        argv: [...project.spec.pid1, '::', ...crasher],
        env: { CLEANUP_MARKER_DIR: markerDir },
        readiness: UNTIL_EXIT,
        grace: GRACE,
      });
      // Crash only once every service is up: the app, the sidecar, and the agent it started.
      await pidOf(markerDir, services.slice(0, services.indexOf('::')), 0);
      await pidOf(markerDir, ['bash', '/app/sidecar.sh', 'agent'], 0);
      process.kill(await pidOf(markerDir, crasher, 1000), 'SIGUSR1');
      const { report } = await running;
      const text = formatReport(report, []);
      expect(report.pid1Exit.status, text).toBe(3);
      expect(readdirSync(markerDir).sort(), text).toEqual(['demo-agent.cleanup', 'demo-sidecar.cleanup', 'demo.cleanup']);
      expect(report.sigkilled, text).toEqual([]);
      const crashed = fateOf(report, (a) => a.includes(fixture('exit-on-usr1.sh')));
      const pid1 = report.fates.find((f) => f.isPid1);
      expect(pid1!.endedAtMs! - crashed!.endedAtMs!, 'from the crash to the container’s exit (ms)').toBeLessThan(DRAIN * 1000);
    });
  });
}

for (const c of allCombinations().filter((x) => x.model === 'multi')) {
  describe(`${c.id} --supervisor supervisord: supervisord inside supervise.sh (pidns)`, () => {
    let project: StagedProject;
    beforeAll(async () => {
      project = await staged(c.runtime, c.model, c.init, 'supervisord');
    });

    it('every program and the agent clean up; PID 1 exits 0 last; nothing SIGKILLed', async () => {
      const env = runDir();
      const run = await stopStaged(project, { env, readiness: SUPERVISORD_READY, grace: GRACE });
      const { report } = run;
      expectContract(report, {
        expectedExitCodes: [0],
        // supervisord's one-second tick on top of the bash worker's current one-second job (SIGNALS.md).
        maxStopMs: (DRAIN + 1) * 1000,
        requiredFiles: markers(run.markerDir, ['demo', 'demo-sidecar', 'demo-agent']),
      });
      const log = programLog(env);
      for (const name of ['demo', 'demo-sidecar', 'demo-agent']) expect(log).toMatch(new RegExp(`^READY ${name}( |$)`, 'm'));
      expect(report.sigkilled).toEqual([]);
      expectPid1Last(report);
    });

    it('a second SIGTERM reaches the programs directly: exit 143 within a second, nothing SIGKILLed', async () => {
      const env = runDir();
      const slow = project.port === undefined ? undefined : { url: `http://127.0.0.1:${project.port}/slow?ms=10000` };
      const run = await stopStaged(project, {
        readiness: SUPERVISORD_READY,
        grace: GRACE + 10,
        secondSignalAfterMs: 300,
        ...(slow ? { inflight: slow, env } : { env: { JOB_SECONDS: '10', ...env } }),
      });
      const { report } = run;
      const violations = evaluateContract(report, { expectedExitCodes: [143], maxStopMs: 1500, maxMsAfterRepeatSignal: 1000 });
      // supervisord reacts on a one-second tick: when it is not gone FORCE_MS (500 ms) after the second
      // signal, supervise.sh SIGKILLs it (point 1). Documented in SIGNALS.md; nothing else may be violated.
      expect(violations.filter((v) => v.point !== 1), formatReport(report, violations)).toEqual([]);
      expect(report.sigkilled.map((k) => k.by), formatReport(report, violations)).not.toContain('kernel-teardown');
      expect(report.sigkillNeeded).toBe(false);
    });

    it('a program that exits with 0 (supervisord does not restart it) stops the container with 1', async () => {
      const markerDir = mkdtempSync(join(tmpdir(), 'graceful-markers-'));
      const env = runDir();
      const running = stopStaged(project, {
        env: { CLEANUP_MARKER_DIR: markerDir, ...env },
        readiness: UNTIL_EXIT,
        grace: GRACE,
      });
      // The sidecar leaves on its own, cleanly: an "expected" exit, which supervisord does not restart once
      // the program is RUNNING (startsecs=1; an exit before that is retried), so it waits 3 s first.
      const sidecar = await pidOf(markerDir, ['bash', '/app/sidecar.sh'], 3000);
      process.kill(sidecar, 'SIGTERM');
      const { report } = await running;
      const text = `${formatReport(report, [])}\nprograms.log:\n${programLog(env)}`;
      expect(report.pid1Exit.status, text).toBe(1);
      expect(programLog(env), text).toContain('is gone for good: stopping supervisord');
      expect(readdirSync(markerDir).sort(), text).toEqual(['demo-agent.cleanup', 'demo-sidecar.cleanup', 'demo.cleanup']);
    });
  });
}

describe('multi (bash): how the container ends when a service ends on its own', () => {
  let project: StagedProject;
  beforeAll(async () => {
    project = await staged('bash', 'multi', 'tini');
  });

  for (const [what, args, status] of [
    ['exits 0 (it must not end)', ['0'], 1],
    ['exits 70', ['70'], 70],
    ['is killed by SIGKILL', ['0', 'KILL'], 137],
    ['is killed by SIGSEGV', ['0', 'SEGV'], 139],
  ] as const) {
    it(`a service that ${what}: exit ${status}`, async () => {
      const run = await stopStaged(project, {
        argv: [...project.spec.pid1, '::', 'bash', fixture('exit-after.sh'), ...args],
        readiness: UNTIL_EXIT,
        grace: GRACE,
      });
      expect(run.report.pid1Exit.status, formatReport(run.report, [])).toBe(status);
    });
  }

  it('a service whose cleanup fails (exits 1 on SIGTERM): exit 1, the others still clean up', async () => {
    const run = await stopStaged(project, {
      argv: [...project.spec.pid1, '::', 'bash', fixture('fail-cleanup.sh')],
      readiness: allReady('demo', 'demo-sidecar', 'demo-agent', 'failing'),
      grace: GRACE,
    });
    const text = formatReport(run.report, []);
    expect(run.report.pid1Exit.status, text).toBe(1);
    expect(run.report.sigkillNeeded, text).toBe(false);
    expect(readdirSync(run.markerDir).sort(), text).toEqual(['demo-agent.cleanup', 'demo-sidecar.cleanup', 'demo.cleanup']);
  });

  it('a service that ignores SIGTERM: the supervisor SIGKILLs it when DRAIN + CLEANUP seconds are spent, exits 1', async () => {
    const run = await stopStaged(project, {
      argv: [...project.spec.pid1, '::', 'bash', fixture('ignore-term.sh')],
      env: { DRAIN_SECONDS: '1', CLEANUP_SECONDS: '1' },
      readiness: allReady('demo', 'demo-sidecar', 'demo-agent', 'stubborn'),
      grace: GRACE,
    });
    const { report } = run;
    const text = formatReport(report, []);
    expect(report.pid1Exit.status, text).toBe(1);
    expect(report.sigkillNeeded, 'the stopper never had to SIGKILL: the supervisor escalated itself').toBe(false);
    expect(report.stopMs, text).toBeGreaterThan(1900);
    expect(report.stopMs, text).toBeLessThan(3000);
    expect(readdirSync(run.markerDir).sort(), text).toEqual(['demo-agent.cleanup', 'demo-sidecar.cleanup', 'demo.cleanup']);
    expect(report.sigkilled.map((k) => k.by), 'only the stubborn service, by the supervisor, not at teardown').not.toContain('kernel-teardown');
  });
});

for (const c of allCombinations().filter((x) => x.model === 'workers')) {
  describe(`${c.id}: master and workers stop gracefully, the master last (pidns)`, () => {
    let project: StagedProject;
    beforeAll(async () => {
      project = await staged(c.runtime, c.model, c.init);
    });

    it('every worker and the master clean up; nothing SIGKILLed; PID 1 exits 0 last', async () => {
      const run = await stopStaged(project, { readiness: allReady('demo', 'demo-worker-1', 'demo-worker-2'), grace: GRACE });
      const { report } = run;
      expectContract(report, {
        expectedExitCodes: [0],
        maxStopMs: 1000,
        requiredOutput: ['CLEANUP:demo\n', 'CLEANUP:demo-worker-1', 'CLEANUP:demo-worker-2'],
        requiredFiles: markers(run.markerDir, ['demo', 'demo-worker-1', 'demo-worker-2']),
      });
      expect(report.sigkilled).toEqual([]);
      // The master's own cleanup line comes after every worker's.
      const out = report.stdout.text;
      expect(out.lastIndexOf('CLEANUP:demo\n')).toBeGreaterThan(out.lastIndexOf('CLEANUP:demo-worker-'));
      expectPid1Last(report);
    });

    it('a worker killed with SIGKILL stops the server: the other drains, the container exits 137', async () => {
      const markerDir = mkdtempSync(join(tmpdir(), 'graceful-markers-'));
      const running = stopStaged(project, {
        env: { CLEANUP_MARKER_DIR: markerDir },
        readiness: UNTIL_EXIT,
        grace: GRACE,
      });
      process.kill(await findWorker(markerDir, project.spec.cmd), 'SIGKILL');
      const { report } = await running;
      const text = formatReport(report, []);
      expect(report.pid1Exit.status, text).toBe(137);
      // The master's cleanup and the surviving worker's, not the killed one's.
      expect(readdirSync(markerDir).sort(), text).toEqual([expect.stringMatching(/^demo-worker-[12]\.cleanup$/), 'demo.cleanup']);
    });
  });
}

/** The file each master runs its workers from, replaced by a stand-in that crashes. */
const WORKER_FILES: Record<string, string> = { node: 'server.js', python: 'app.py', bash: 'worker.sh' };

for (const c of allCombinations().filter((x) => x.model === 'workers' && x.init === 'tini')) {
  describe(`${c.id}: the master's exit status when workers end on their own (pidns)`, () => {
    let project: StagedProject;
    beforeAll(async () => {
      const generated = await staged(c.runtime, c.model, c.init);
      // The generated master with a stand-in worker that exits WORKER_EXIT after 500 ms.
      const copy = join(mkdtempSync(join(tmpdir(), 'graceful-crash-')), 'demo');
      cpSync(generated.dir, copy, { recursive: true });
      copyFileSync(fixture(`worker-crash/${WORKER_FILES[c.runtime]}`), join(copy, WORKER_FILES[c.runtime]!));
      project = await stageProject(copy, c.runtime, generated.port);
    });

    for (const [code, status] of [
      [3, 3],
      [0, 1],
    ] as const) {
      it(`a worker that exits ${code} on its own: the master stops the other and exits ${status}`, async () => {
        const run = await stopStaged(project, {
          env: { WORKER_EXIT: String(code) },
          readiness: UNTIL_EXIT,
          grace: GRACE,
        });
        const text = formatReport(run.report, []);
        expect(run.report.pid1Exit.status, text).toBe(status);
        expect(run.report.stdout.text + run.report.stderr.text, text).toMatch(/ended on its own with status/);
        expect(run.report.sigkilled, text).toEqual([]);
      });
    }
  });
}

for (const c of allCombinations().filter((x) => x.model === 'wrapper')) {
  describe(`${c.id}: the entrypoint sets up, drops privileges and execs the app (pidns)`, () => {
    let project: StagedProject;
    beforeAll(async () => {
      project = await staged(c.runtime, c.model, c.init);
    });

    it(`the app is ${c.init}'s only child, runs as APP_UID, and stops gracefully`, async () => {
      const markerDir = mkdtempSync(join(tmpdir(), 'graceful-markers-'));
      const readiness = serviceReadiness(project.port, 30_000);
      const running = stopStaged(project, { env: { CLEANUP_MARKER_DIR: markerDir }, readiness, grace: GRACE });
      const uid = await uidOf(markerDir, project.spec.cmd);
      const { report } = await running;
      expectContract(report, { expectedExitCodes: [runtimes[c.runtime].exitStatus.graceful], maxStopMs: 1000, requiredFiles: markers(markerDir, ['demo']) });
      const pid1 = report.treeBeforeStop.find((p) => p.nsPid === 1);
      const children = report.treeBeforeStop.filter((p) => p.ppid === pid1?.pid);
      expect(children.map((p) => p.argv), 'no shell or su left in between').toEqual([project.spec.cmd]);
      expect(uid, 'the app runs as the service user, not root').toBe(Number(project.spec.env.APP_UID));
    });
  });
}

describe('wrapper (python, tini): a failing setup step stops the container with a clear message', () => {
  let project: StagedProject;
  beforeAll(async () => {
    project = await staged('python', 'wrapper', 'tini');
  });

  for (const [what, env, status, message] of [
    ['an unreachable dependency', { WAIT_FOR: '127.0.0.1:1', WAIT_TIMEOUT: '1' }, 69, 'entrypoint: dependency 127.0.0.1:1 not reachable within 1 s (WAIT_FOR, WAIT_TIMEOUT)'],
    ['a bad DRAIN_SECONDS', { DRAIN_SECONDS: 'soon' }, 78, "entrypoint: DRAIN_SECONDS='soon' is not a whole number of seconds"],
  ] as const) {
    it(`${what}: exit ${status}, the app never starts`, async () => {
      const run = await stopStaged(project, {
        env: env as Record<string, string>,
        readiness: UNTIL_EXIT,
        grace: GRACE,
      });
      const text = formatReport(run.report, []);
      expect(run.report.pid1Exit.status, text).toBe(status);
      expect(run.report.stderr.text, text).toContain(message);
      expect(run.report.stdout.text, text).not.toContain('READY');
    });
  }

  it('a stop signal while waiting for the dependency ends the setup at once: exit 143', async () => {
    const run = await stopStaged(project, {
      env: { WAIT_FOR: '127.0.0.1:1', WAIT_TIMEOUT: '30' },
      readiness: { kind: 'delay', ms: 700 },
      grace: GRACE,
    });
    const text = formatReport(run.report, []);
    expect(run.report.pid1Exit.status, text).toBe(143);
    expect(run.report.stopMs, text).toBeLessThan(1000);
    expect(run.report.stderr.text, text).toContain('entrypoint: SIGTERM during setup: not starting the app');
    expect(run.report.sigkilled, text).toEqual([]);
  });
});

/** The uid of this run's app (found by its marker dir and argv), read from /proc while it runs. */
async function uidOf(markerDir: string, argv: readonly string[]): Promise<number> {
  const pid = await pidOf(markerDir, argv, 0);
  return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

/** Host pid of this run's process (found by its marker dir) running `argv`; waits `settleMs` more for it to get ready. */
async function pidOf(markerDir: string, argv: readonly string[], settleMs = 1000): Promise<number> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (!readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`CLEANUP_MARKER_DIR=${markerDir}`)) continue;
        if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').slice(0, -1).join(' ') !== argv.join(' ')) continue;
        await new Promise((resolve) => setTimeout(resolve, settleMs));
        return Number(entry);
      } catch {
        continue;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no process ${argv.join(' ')} appeared`);
}

/** Host pid of a worker of this run (found by its marker dir): a process whose parent's argv is `master`. */
async function findWorker(markerDir: string, master: string[]): Promise<number> {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8').split('\0');
    } catch {
      return [];
    }
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || !read(`/proc/${entry}/environ`).includes(`CLEANUP_MARKER_DIR=${markerDir}`)) continue;
      const ppid = /^\d+ \(.*\) \S (\d+)/.exec(read(`/proc/${entry}/stat`)[0] ?? '')?.[1];
      if (ppid && read(`/proc/${ppid}/cmdline`).join(' ').trim() === master.join(' ')) {
        // Give it time to install its handlers and print READY, as a crash in production would.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        return Number(entry);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no worker of ${master} appeared`);
}
