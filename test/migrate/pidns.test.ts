// End to end on the host: for each shared case whose runtime this machine has, migrate the broken
// image, run its PID-1 argv as PID 1 of a fresh pid namespace (lib/verify), stop it with the image's
// stop signal and check the case's expected behaviour; the unmigrated original must fail the check.
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync, appendFileSync, chmodSync, cpSync, createReadStream, existsSync, mkdirSync, statSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryContext } from '../../lib/migrate/context.ts';
import { migrate } from '../../lib/migrate/analyze.ts';
import { buildModel } from '../../lib/migrate/model.ts';
import { pid1Argv } from '../../lib/migrate/chain.ts';
import { runPidns, type BindMount } from '../../lib/verify/pidns.ts';
import { evaluateContract, formatReport, formatViolation, type StopReport, type Violation } from '../../lib/verify/report.ts';
import { CASES_DIR, caseExpect, type Expect } from './support.ts';

interface HostCase {
  readonly name: string;
  /** A fixture of ours instead of a shared case (same layout: Dockerfile, files, expect.json). */
  readonly fixture?: string;
  /** Binaries the case needs on this machine. */
  readonly needs: string[];
  readonly ready: RegExp;
  /** Build steps the Dockerfile's RUN lines do, run in the copy. */
  readonly prepare?: (dir: string) => void;
  /** Files (relative to the copy) where cleanup markers may be logged instead of stdout. */
  readonly logs?: string[];
  /**
   * Give PID 1 a FIFO as stdout: the harness's stdio are sockets, which supervisord cannot reopen as
   * /dev/stdout (ENXIO), while a container's are pipes. Readiness then waits a fixed delay.
   */
  readonly fifoStdout?: number;
  /** More bind mounts (host directories made in the copy) for what the image's RUN lines set up. */
  readonly binds?: (dir: string) => BindMount[];
  /** Where the copy of the case is mounted (default: the image's WORKDIR). */
  readonly mount?: string;
  /** Environment the base image would provide. */
  readonly env?: Record<string, string>;
  /** Case-specific checks from CASE.md beyond the markers; returns what is wrong. */
  readonly check?: (dir: string) => string[];
}

// The `store` user of case 16 (`RUN useradd --system store`), added to a copy of /etc so the host's
// own user database is never touched.
const STORE_UID = 64123;
function etcWithStoreUser(dir: string): string {
  const etc = join(dir, 'etc');
  cpSync('/etc', etc, { recursive: true, verbatimSymlinks: true });
  appendFileSync(join(etc, 'passwd'), `store:x:${STORE_UID}:${STORE_UID}::/nonexistent:/usr/sbin/nologin\n`);
  appendFileSync(join(etc, 'group'), `store:x:${STORE_UID}:\n`);
  appendFileSync(join(etc, 'shadow'), 'store:!:19000::::::\n');
  return etc;
}

/** Case 21 (CASE.md): each worker finishes the task it runs at the stop, starts none after it, and removes its pidfile. */
function workersDrained(dir: string): string[] {
  const problems: string[] = [];
  for (const name of ['default', 'network']) {
    const log = join(dir, 'logs', `worker_${name}.log`);
    const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n') : [];
    const received = lines.flatMap((l, i) => {
      const n = /task (\d+) received/.exec(l)?.[1];
      return n === undefined ? [] : [[i, n] as const];
    });
    const last = received.at(-1);
    if (!last) {
      problems.push(`${name} worker: no task received`);
      continue;
    }
    if (!lines.slice(last[0] + 1).some((l) => l.includes(`CLEANUP:${name}-task-${last[1]}-succeeded`))) problems.push(`${name} worker: task ${last[1]} cut off`);
    const warm = lines.findIndex((l) => l.includes('Warm shutdown'));
    if (warm === -1) problems.push(`${name} worker: no SIGTERM reached it`);
    else if (received.some(([i]) => i > warm)) problems.push(`${name} worker: started a task after the stop signal`);
    if (existsSync(join(dir, 'run', `${name}.pid`))) problems.push(`${name} worker: pidfile left behind`);
  }
  return problems;
}

const HOST_CASES: HostCase[] = [
  { name: '01-node-npm-start-pid1', needs: ['node', 'npm'], ready: /^READY/m },
  { name: '03-node-pid1-no-signal-handler', needs: ['node', '/usr/bin/tini'], ready: /^READY/m },
  { name: '05-python-uvicorn-shell-form-cmd', needs: ['python3'], ready: /^READY/m },
  { name: '08-python-pid1-no-sigterm-handler', needs: ['python3'], ready: /^READY/m },
  {
    name: '11-jvm-spring-sh-c-java-opts', needs: ['java', 'javac', 'jar'], ready: /^READY/m,
    prepare: (dir) => {
      execFileSync('javac', ['App.java'], { cwd: dir });
      execFileSync('jar', ['cfe', 'app.jar', 'App', 'App.class'], { cwd: dir });
    },
  },
  {
    // The tomcat10 package stands in for the tomcat image: same catalina.sh, its own CATALINA_BASE.
    name: '12-jvm-tomcat-startup-wrapper', needs: ['java', '/usr/share/tomcat10/bin/catalina.sh'], ready: /Server startup in/,
    mount: '/opt', env: { CATALINA_HOME: '/usr/share/tomcat10', CATALINA_BASE: '/var/lib/tomcat10' },
  },
  { name: '15-bash-trap-deferred-by-foreground-tail', needs: ['bash', 'python3'], ready: /READY svc listening/m, logs: ['logs/access.log'] },
  {
    name: '16-bash-su-swallows-signal', needs: ['su', 'setpriv', 'python3'], ready: /^READY/m,
    binds: (dir) => {
      mkdirSync(join(dir, 'data'));
      return [{ source: etcWithStoreUser(dir), target: '/etc' }, { source: join(dir, 'data'), target: '/data' }];
    },
    check: (dir) => {
      const dump = join(dir, 'data', 'dump.json');
      if (!existsSync(dump)) return ['$DATA_DIR/dump.json missing'];
      return statSync(dump).uid === STORE_UID ? [] : [`dump.json written by uid ${statSync(dump).uid}, not by the store user`];
    },
  },
  { name: 'sh-background-jobs', fixture: fileURLToPath(new URL('../fixtures/migrate/sh-background-jobs', import.meta.url)), needs: ['python3'], ready: /READY (fast|slow)[^]*READY (fast|slow)/m },
  {
    // The workers daemonize; their READY lines reach stdout only through the tail (still running, in the background).
    name: '21-sh-detached-workers-tail', needs: ['python3'],
    ready: /READY default worker ready[^]*READY network worker ready|READY network worker ready[^]*READY default worker ready/,
    logs: ['logs/worker_default.log', 'logs/worker_network.log'], check: workersDrained,
  },
  { name: '19-supervisord-not-pid1', needs: ['bash', 'python3', 'supervisord', 'mkfifo'], ready: /READY/, fifoStdout: 2500, logs: ['stdout.log'] },
];

const has = (bin: string) => (bin.startsWith('/') ? existsSync(bin) : spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0);
const canUnshare = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', '--net', 'true']).status === 0;

/** `python` as the images have it; this machine only has python3 on the minimal PATH. */
function shimDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrate-shim-'));
  symlinkSync(execFileSync('sh', ['-c', 'command -v python3'], { encoding: 'utf8' }).trim(), join(dir, 'python'));
  return dir;
}

/** Writes the case (as is, or migrated) to a fresh directory and runs its PID-1 argv under the harness. */
function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile()).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

const expectOf = (c: HostCase): Expect => (c.fixture ? (JSON.parse(readFileSync(join(c.fixture, 'expect.json'), 'utf8')) as Expect) : caseExpect(c.name));

/** Reads a FIFO from the host side until every writer has closed it. */
function drain(fifo: string): { text: () => string; done: Promise<void> } {
  let text = '';
  const stream = createReadStream(fifo, { encoding: 'utf8' });
  stream.on('data', (d) => (text += d));
  const done = new Promise<void>((resolve) => {
    stream.on('close', () => resolve());
    stream.on('error', () => resolve());
  });
  return { text: () => text, done };
}

async function stop(c: HostCase, migrated: boolean): Promise<{ report: StopReport; dir: string }> {
  const source = c.fixture ?? join(CASES_DIR, c.name);
  const files = filesOf(source);
  const dir = mkdtempSync(join(tmpdir(), `migrate-e2e-${migrated ? 'fixed' : 'broken'}-`));
  cpSync(source, dir, { recursive: true });
  if (migrated) {
    const m = migrate(memoryContext(files));
    expect(m.changed.size).toBeGreaterThan(0);
    for (const [p, t] of m.changed) writeFileSync(join(dir, p), t);
  }
  // What the images' `RUN chmod +x` does; the image's files are readable by its other users too.
  for (const f of readdirSync(dir)) if (f.endsWith('.sh')) chmodSync(join(dir, f), 0o755);
  chmodSync(dir, 0o755);
  c.prepare?.(dir);
  const model = buildModel({ path: 'Dockerfile', text: readFileSync(join(dir, 'Dockerfile'), 'utf8') }, memoryContext(files));
  const start = pid1Argv(model.dockerfile);
  if (!start) throw new Error(`${c.name}: no PID-1 argv`);
  const workdir = model.dockerfile.final.state.workdir;
  const env = Object.fromEntries([...model.dockerfile.final.state.env].map(([k, v]) => [k, v.value]));
  const expectMs = expectOf(c).expectedExitWithinMs;
  // A network namespace of its own (the cases listen on fixed ports); the working directory is
  // entered after the bind mount, which the harness makes in the namespace.
  let argv = ['unshare', '--net', `--wd=${workdir}`, '--', ...start.argv];
  let fifo: ReturnType<typeof drain> | null = null;
  if (c.fifoStdout) {
    execFileSync('mkfifo', [join(dir, 'stdout.fifo')]);
    fifo = drain(join(dir, 'stdout.fifo'));
    argv = ['sh', '-c', `exec "$@" >${workdir}/stdout.fifo 2>&1`, 'sh', ...argv];
  }
  const report = await runPidns({
    argv,
    env: { ...env, ...c.env, PATH: `${shimDir()}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin` },
    cwd: workdir,
    binds: [{ source: dir, target: c.mount ?? workdir }, ...(c.binds?.(dir) ?? [])],
    readiness: c.fifoStdout ? { kind: 'delay', ms: c.fifoStdout } : { kind: 'log', regex: c.ready, timeoutMs: 20_000 },
    stopSignal: model.stopSignal.name,
    grace: Math.ceil(expectMs / 1000) + 1,
  });
  // The copy of /etc (with its shadow file) is not left lying around.
  rmSync(join(dir, 'etc'), { recursive: true, force: true });
  if (fifo) {
    await Promise.race([fifo.done, new Promise((r) => setTimeout(r, 2000))]);
    writeFileSync(join(dir, 'stdout.log'), fifo.text());
  }
  return { report, dir };
}

function violations(c: HostCase, report: StopReport, dir: string): Violation[] {
  const x = expectOf(c);
  const logged = (c.logs ?? []).map((l) => (existsSync(join(dir, l)) ? readFileSync(join(dir, l), 'utf8') : '')).join('\n');
  const markers = x.expectedCleanup.filter((m) => !logged.includes(m));
  return evaluateContract(report, { expectedExitCodes: x.expectedExitCodes, maxStopMs: x.expectedExitWithinMs, requiredOutput: markers });
}

// .ci/run installs python3, bash and a JDK, and npm ships with the project's toolchain; supervisord
// is optional (apt package `supervisor`), so case 19 runs only where it is installed.
const OPTIONAL = new Set(['supervisord']);
const runnable = HOST_CASES.filter((c) => c.needs.every(has));

describe.runIf(canUnshare)('images stop correctly after migrate, and not before (pidns)', () => {
  it('this machine can run every case whose runtime CI installs', () => {
    const required = HOST_CASES.filter((c) => c.needs.every((n) => !OPTIONAL.has(n)));
    expect(required.filter((c) => !runnable.includes(c)).map((c) => `${c.name} needs ${c.needs.filter((n) => !has(n)).join(', ')}`)).toEqual([]);
  });

  for (const c of runnable) {
    describe(c.name, () => {
      it('migrated: meets the expected behaviour', async () => {
        const { report, dir } = await stop(c, true);
        const v = violations(c, report, dir);
        expect(v.map(formatViolation), formatReport(report, v)).toEqual([]);
        expect(c.check?.(dir) ?? []).toEqual([]);
        if (c.fifoStdout) expect(readFileSync(join(dir, 'stdout.log'), 'utf8')).toMatch(c.ready);
      }, 60_000);

      it('original: fails the same check', async () => {
        const { report, dir } = await stop(c, false);
        expect(report.readiness.ok, formatReport(report, [])).toBe(true);
        if (c.fifoStdout) expect(readFileSync(join(dir, 'stdout.log'), 'utf8')).toMatch(/READY/);
        const v = violations(c, report, dir);
        // Broken for the reason the case documents: the stop does not reach or finish the app.
        expect(v.filter((x) => x.point >= 1 && x.point <= 4).map(formatViolation), formatReport(report, v)).not.toEqual([]);
      }, 60_000);
    });
  }
});
