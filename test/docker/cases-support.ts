// Helpers for test/docker/cases.test.ts: what each shared case needs to run on the engine (readiness,
// published port, bind mounts for marker files, CASE.md checks beyond expect.json), the migrate CLI,
// and a host-side FastCGI client for the php-fpm case's in-flight request.
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReadinessProbe } from '../../lib/verify/readiness.ts';
import type { StopReport } from '../../lib/verify/report.ts';
import { CASES_DIR } from '../migrate/support.ts';

export { CASES_DIR, caseNames, EFFECT_TAGS } from '../migrate/support.ts';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** expect.json, with the optional fields this suite checks. */
export interface CaseExpect {
  readonly problems: string[];
  readonly expectedExitWithinMs: number;
  readonly expectedExitCodes: number[];
  readonly expectedCleanup: string[];
  readonly maxZombies?: number;
  readonly stopSignal?: string;
  readonly inFlight?: { request: string; startBeforeStopMs: number; expectBytes?: number; expectBody?: string };
}

export const caseExpect = (name: string): CaseExpect =>
  JSON.parse(readFileSync(join(CASES_DIR, name, 'expect.json'), 'utf8')) as CaseExpect;

/** A writable host directory per bind mount, keyed by the container path. */
export type Mounts = ReadonlyMap<string, string>;

export interface CaseSpec {
  readonly name: string;
  /** Readiness as CASE.md names it: a log line, or an HTTP answer on `port`. */
  readonly ready: RegExp | 'http';
  /** Container port published as 127.0.0.1:<free port> (HTTP readiness, in-flight request). */
  readonly port?: number;
  /** The in-flight request of expect.json: an HTTP GET, or a FastCGI request through `fastcgiProxy`. */
  readonly inflight?: { kind: 'http'; path: string } | { kind: 'fastcgi'; script: string };
  /** Environment for `docker run` (values that show the image still expands its variables). */
  readonly env?: Record<string, string>;
  /** Container directories bind-mounted from fresh host directories, to read marker files after the stop. */
  readonly mounts?: string[];
  /** Container paths (inside a mount) where CASE.md lets cleanup markers be logged instead of stdout. */
  readonly logs?: string[];
  /** CASE.md's checkable statements beyond expect.json's fields; returns what is wrong. */
  readonly check?: (mounts: Mounts, report: StopReport) => string[];
  /** Findings migrate leaves for a person (rule ids, one per finding), as its CLI lists them under "Still to do by hand". */
  readonly manual?: string[];
  /** The manual findings are what breaks the stop: the migrated image still fails and the case needs a manual fix. */
  readonly needsManualFix?: boolean;
}

const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');

/** Host path of a container path inside one of the mounts. */
export function hostPath(mounts: Mounts, containerPath: string): string {
  for (const [target, source] of mounts) {
    if (containerPath === target) return source;
    if (containerPath.startsWith(`${target}/`)) return join(source, containerPath.slice(target.length + 1));
  }
  throw new Error(`${containerPath} is not inside a bind mount (${[...mounts.keys()].join(', ')})`);
}

/** Case 21: every worker finishes the task it runs at the stop, starts no new one, logs its stop and removes its pidfile. */
function workersDrained(mounts: Mounts): string[] {
  const problems: string[] = [];
  for (const name of ['default', 'network']) {
    const lines = read(hostPath(mounts, `/app/logs/worker_${name}.log`)).split('\n');
    const received = lines.map((l, i) => [i, /task (\d+) received/.exec(l)?.[1]] as const).filter(([, n]) => n !== undefined);
    const last = received[received.length - 1];
    if (!last) {
      problems.push(`${name} worker: no task received in logs/worker_${name}.log`);
      continue;
    }
    const [at, n] = last;
    if (!lines.slice(at + 1).some((l) => l.includes(`CLEANUP:${name}-task-${n}-succeeded`))) {
      problems.push(`${name} worker: task ${n} was received but never succeeded (cut off)`);
    }
    const warm = lines.findIndex((l) => l.includes('Warm shutdown'));
    if (warm === -1) problems.push(`${name} worker: never logged its warm shutdown (no SIGTERM reached it)`);
    else if (received.some(([i]) => i > warm)) problems.push(`${name} worker: started a new task after the stop signal`);
    if (existsSync(hostPath(mounts, `/app/run/${name}.pid`))) problems.push(`${name} worker: pidfile run/${name}.pid left behind`);
  }
  return problems;
}

/** argv of the java process running before the stop. */
const jvmArgs = (r: StopReport) => r.treeBeforeStop.find((p) => p.comm === 'java')?.argv ?? [];

/** In the order that shares layers: by base image, then python's cases with their extra layers last. */
export const SPECS: CaseSpec[] = [
  { name: '01-node-npm-start-pid1', ready: /^READY/m },
  { name: '03-node-pid1-no-signal-handler', ready: /^READY/m },
  // $PORT must still be honoured: a value other than the image's default has to reach the server.
  { name: '05-python-uvicorn-shell-form-cmd', env: { PORT: '8123' }, ready: /^READY serving on 0\.0\.0\.0:8123$/m },
  {
    name: '08-python-pid1-no-sigterm-handler', ready: /^READY/m, mounts: ['/tmp'],
    check: (m) => (existsSync(hostPath(m, '/tmp/app.lock')) ? ['/tmp/app.lock still exists after the stop (lock not released)'] : []),
  },
  {
    name: '15-bash-trap-deferred-by-foreground-tail', ready: /READY svc listening/, mounts: ['/app/logs'], logs: ['/app/logs/access.log'],
  },
  {
    name: '16-bash-su-swallows-signal', ready: /^READY/m, mounts: ['/data'],
    check: (m) => {
      const data = hostPath(m, '/data');
      const dump = join(data, 'dump.json');
      if (!existsSync(dump)) return ['$DATA_DIR/dump.json missing (snapshot not saved)'];
      // The entrypoint chowns $DATA_DIR to `store`; the snapshot must be written by that user, not root.
      const store = statSync(data).uid;
      const owner = statSync(dump).uid;
      return store !== 0 && owner === store ? [] : [`dump.json written by uid ${owner}, not by the store user (uid ${store})`];
    },
  },
  {
    name: '19-supervisord-not-pid1', ready: /READY display[\s\S]*READY client|READY client[\s\S]*READY display/, manual: ['PID1012'],
  },
  {
    // The workers' READY lines reach the container's stdout only through the log follower: that is
    // CASE.md's "worker output must still be visible on stdout". migrate keeps the tail (in the
    // background) and adds a trap that TERMs every other process and waits for them.
    name: '21-sh-detached-workers-tail',
    ready: /READY default worker ready[\s\S]*READY network worker ready|READY network worker ready[\s\S]*READY default worker ready/,
    mounts: ['/app/logs', '/app/run'], logs: ['/app/logs/worker_default.log', '/app/logs/worker_network.log'],
    check: workersDrained,
  },
  {
    // JAVA_OPTS must still reach the JVM.
    name: '11-jvm-spring-sh-c-java-opts', ready: /^READY/m, env: { JAVA_OPTS: '-Xms32m -Xmx96m -Dgraceful.case=11' },
    check: (_m, r) => (jvmArgs(r).includes('-Dgraceful.case=11') ? [] : [`JAVA_OPTS did not reach the JVM: ${jvmArgs(r).join(' ') || 'no java process'}`]),
  },
  {
    // The wrapper's setup (CATALINA_OPTS) must still reach Tomcat's JVM.
    name: '12-jvm-tomcat-startup-wrapper', ready: /Server startup in/,
    check: (_m, r) => (jvmArgs(r).some((a) => a.startsWith('-Dapp.instance=')) ? [] : [`startup.sh's CATALINA_OPTS did not reach the JVM: ${jvmArgs(r).join(' ') || 'no java process'}`]),
  },
  { name: '22-nginx-stopsignal-sigterm', ready: 'http', port: 8080, inflight: { kind: 'http', path: '/big.bin' } },
  {
    name: '23-php-fpm-process-control-timeout', ready: /ready to handle connections/, port: 9000,
    inflight: { kind: 'fastcgi', script: '/var/www/html/slow.php' },
  },
];

/** A private copy of a case directory (the shared one is read-only). */
export function copyCase(name: string, label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `graceful-case-${label}-`));
  cpSync(join(CASES_DIR, name), dir, { recursive: true });
  chmodSync(dir, 0o755);
  return dir;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The product path: `graceful migrate <dir> --force`, with the node that runs the tests. */
export function migrateCli(dir: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO, 'bin/graceful.ts'), 'migrate', dir, '--force'], { cwd: REPO, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

// ---- FastCGI ---------------------------------------------------------------------------------

const FCGI = { BEGIN_REQUEST: 1, END_REQUEST: 3, PARAMS: 4, STDIN: 5, STDOUT: 6, STDERR: 7 } as const;

function record(type: number, body: Buffer): Buffer {
  const header = Buffer.from([1, type, 0, 1, body.length >> 8, body.length & 0xff, 0, 0]);
  return Buffer.concat([header, body]);
}

function nameValue(name: string, value: string): Buffer {
  const len = (n: number) => (n < 128 ? Buffer.from([n]) : Buffer.from([((n >> 24) & 0x7f) | 0x80, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]));
  return Buffer.concat([len(Buffer.byteLength(name)), len(Buffer.byteLength(value)), Buffer.from(name), Buffer.from(value)]);
}

export interface FastcgiResult {
  /** END_REQUEST arrived: the worker finished the request. */
  complete: boolean;
  stdout: string;
  stderr: string;
  error: string | null;
}

/** One FastCGI GET of `script` (absolute path in the container) on 127.0.0.1:port. */
export function fastcgiGet(port: number, script: string, timeoutMs = 30_000): Promise<FastcgiResult> {
  return new Promise((resolve) => {
    const params = Buffer.concat(Object.entries({
      GATEWAY_INTERFACE: 'FastCGI/1.0', REQUEST_METHOD: 'GET', SCRIPT_FILENAME: script, SCRIPT_NAME: script.replace(/^.*\//, '/'),
      REQUEST_URI: script.replace(/^.*\//, '/'), QUERY_STRING: '', SERVER_PROTOCOL: 'HTTP/1.1', SERVER_NAME: 'localhost',
      SERVER_PORT: String(port), REMOTE_ADDR: '127.0.0.1',
    }).map(([k, v]) => nameValue(k, v)));
    const socket = connect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    let stdout = '';
    let stderr = '';
    let done = false;
    const finish = (complete: boolean, error: string | null) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ complete, stdout, stderr, error });
    };
    socket.setTimeout(timeoutMs, () => finish(false, `no answer within ${timeoutMs} ms`));
    socket.on('connect', () => {
      socket.write(Buffer.concat([
        record(FCGI.BEGIN_REQUEST, Buffer.from([0, 1, 0, 0, 0, 0, 0, 0])),
        record(FCGI.PARAMS, params), record(FCGI.PARAMS, Buffer.alloc(0)), record(FCGI.STDIN, Buffer.alloc(0)),
      ]));
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 8) {
        const length = buffer.readUInt16BE(4);
        const total = 8 + length + buffer[6]!;
        if (buffer.length < total) break;
        const type = buffer[1];
        const body = buffer.subarray(8, 8 + length);
        buffer = buffer.subarray(total);
        if (type === FCGI.STDOUT) stdout += body.toString();
        else if (type === FCGI.STDERR) stderr += body.toString();
        else if (type === FCGI.END_REQUEST) return finish(body[4] === 0, body[4] === 0 ? null : `protocol status ${body[4]}`);
      }
    });
    socket.on('error', (e) => finish(false, e.message));
    socket.on('close', () => finish(false, 'connection closed before END_REQUEST (request aborted)'));
  });
}

export interface FastcgiProxy {
  /** GET this URL to run one FastCGI request; 200 with the script's body once the worker finished it, a reset if it was aborted. */
  readonly url: string;
  readonly results: FastcgiResult[];
  close(): Promise<void>;
}

/**
 * The harness's in-flight request is HTTP; php-fpm speaks FastCGI. This host-side bridge turns one
 * into the other, holding back the HTTP response until php-fpm ends the request, so an aborted
 * request is a reset connection for the harness, exactly as a proxy in front of php-fpm sees it.
 */
export function fastcgiProxy(port: number, script: string): Promise<FastcgiProxy> {
  const results: FastcgiResult[] = [];
  const server = createServer((req, res) => {
    req.resume();
    void fastcgiGet(port, script).then((r) => {
      results.push(r);
      if (!r.complete) return res.socket?.destroy();
      const split = r.stdout.indexOf('\r\n\r\n');
      const head = split === -1 ? '' : r.stdout.slice(0, split);
      const body = split === -1 ? r.stdout : r.stdout.slice(split + 4);
      const status = Number(/^Status:\s*(\d{3})/im.exec(head)?.[1] ?? 200);
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
      resolve({ url, results, close: () => new Promise<void>((r) => server.close(() => r())) });
    });
  });
}
