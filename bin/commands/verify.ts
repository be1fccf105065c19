// `graceful verify`: stop a service the way an orchestrator does and check the shutdown contract.
//   graceful verify --image IMG | --dockerfile PATH [--context DIR]   (docker engine)
//   graceful verify [options] -- CMD ARGS...                           (pid namespace, no engine)
// Exit status: 0 contract holds, 1 violated (the report names the points), 2 bad usage.
import type { Command, CommanderError } from 'commander';
import { runDocker } from '../../lib/verify/docker.ts';
import { runPidns } from '../../lib/verify/pidns.ts';
import type { ReadinessProbe } from '../../lib/verify/readiness.ts';
import { evaluateContract, formatReport, formatViolation, type Expectations, type StopReport } from '../../lib/verify/report.ts';
import { normalizeSignal } from '../../lib/verify/signals.ts';

interface Flags {
  image?: string;
  dockerfile?: string;
  context?: string;
  signal?: string;
  grace: string;
  readyUrl?: string;
  readyLog?: string;
  readyDelay?: string;
  readyTimeout?: string;
  inflight?: string;
  port: string[];
  env: string[];
  maxStopMs: string;
  expectExit: string;
  secondSignalAfter?: string;
  crash?: string;
  json?: boolean;
}

const DEFAULT_READY_DELAY_MS = 1000;

class UsageError extends Error {}

function number(flag: string, value: string, { min = 0, integer = false } = {}): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < min || (integer && !Number.isInteger(parsed))) {
    throw new UsageError(`${flag} must be ${integer ? 'an integer' : 'a number'} ≥ ${min} (got "${value}")`);
  }
  return parsed;
}

function readiness(flags: Flags): ReadinessProbe {
  const given = [flags.readyUrl && '--ready-url', flags.readyLog && '--ready-log', flags.readyDelay && '--ready-delay'].filter(Boolean);
  if (given.length > 1) throw new UsageError(`use one readiness flag, not ${given.join(' and ')}`);
  const timeoutMs = flags.readyTimeout === undefined ? undefined : number('--ready-timeout', flags.readyTimeout, { min: 1 });
  if (flags.readyUrl) {
    if (!/^http:\/\//.test(flags.readyUrl)) throw new UsageError(`--ready-url must be an http:// URL (got "${flags.readyUrl}")`);
    return { kind: 'http', url: flags.readyUrl, ...(timeoutMs && { timeoutMs }) };
  }
  if (flags.readyLog) {
    try {
      return { kind: 'log', regex: new RegExp(flags.readyLog, 'm'), ...(timeoutMs && { timeoutMs }) };
    } catch (error) {
      throw new UsageError(`--ready-log is not a valid regular expression: ${(error as Error).message}`);
    }
  }
  const ms = flags.readyDelay === undefined ? DEFAULT_READY_DELAY_MS : number('--ready-delay', flags.readyDelay);
  return { kind: 'delay', ms };
}

function envPairs(pairs: string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new UsageError(`--env takes KEY=VALUE (got "${pair}")`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

function expectations(flags: Flags): Expectations {
  const codes = flags.expectExit.split(',').map((code) => number('--expect-exit', code.trim(), { integer: true }));
  return {
    expectedExitCodes: codes,
    maxStopMs: number('--max-stop-ms', flags.maxStopMs, { min: 1 }),
    inflightMustComplete: flags.inflight !== undefined,
  };
}

async function run(command: string[], flags: Flags): Promise<StopReport> {
  const targets = [flags.image && '--image', flags.dockerfile && '--dockerfile', command.length > 0 && '-- CMD'].filter(Boolean);
  if (targets.length !== 1) {
    throw new UsageError(targets.length === 0 ? 'say what to verify: --image IMG, --dockerfile PATH or -- CMD ARGS...' : `use one of ${targets.join(', ')}`);
  }
  if (flags.context && !flags.dockerfile) throw new UsageError('--context needs --dockerfile');
  const signal = flags.signal === undefined ? undefined : normalizeSignal(flags.signal);
  if (signal === null) throw new UsageError(`--signal: unknown signal "${flags.signal}"`);
  if (flags.inflight && !/^http:\/\//.test(flags.inflight)) throw new UsageError(`--inflight must be an http:// URL (got "${flags.inflight}")`);
  const common = {
    readiness: readiness(flags),
    grace: number('--grace', flags.grace),
    ...(signal && { stopSignal: signal }),
    ...(flags.inflight && { inflight: { url: flags.inflight } }),
    ...(flags.secondSignalAfter && { secondSignalAfterMs: number('--second-signal-after', flags.secondSignalAfter) }),
    env: envPairs(flags.env),
    ...(flags.crash && { crash: { argvIncludes: flags.crash } }),
  };
  const ports = flags.port.map((port) => number('--port', port, { min: 1, integer: true }));
  if (command.length > 0) {
    if (ports.length > 0) throw new UsageError('--port publishes a container port: use it with --image or --dockerfile');
    return runPidns({ ...common, argv: command, cwd: process.cwd() });
  }
  return runDocker({
    ...common,
    ports,
    ...(flags.image ? { image: flags.image } : { dockerfile: flags.dockerfile!, ...(flags.context && { context: flags.context }) }),
  });
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('Stop a service like docker/Kubernetes do and check the shutdown contract (exit 0 holds, 1 violated, 2 bad usage)')
    .argument('[command...]', 'after --: a command to run as PID 1 of a fresh pid namespace (no engine needed)')
    .option('--image <image>', 'verify a docker image')
    .option('--dockerfile <path>', 'build this Dockerfile, then verify the image')
    .option('--context <dir>', 'build context for --dockerfile (default: its folder)')
    .option('--signal <signal>', 'stop signal (default: the image STOPSIGNAL, else SIGTERM)')
    .option('--grace <seconds>', 'grace period before SIGKILL, like docker stop -t', '10')
    .option('--ready-url <url>', 'ready once GET url answers below 500')
    .option('--ready-log <regex>', 'ready once stdout/stderr matches')
    .option('--ready-delay <ms>', `ready after a fixed delay (default ${DEFAULT_READY_DELAY_MS} ms when no other readiness flag)`)
    .option('--ready-timeout <ms>', 'give up waiting for readiness after this long')
    .option('--inflight <url>', 'GET url just before the stop; it must complete')
    .option('--port <port>', 'docker: publish 127.0.0.1:port:port (repeatable)', collect, [])
    .option('-e, --env <KEY=VALUE>', 'environment for the service (repeatable)', collect, [])
    .option('--max-stop-ms <ms>', 'stop budget from signal to PID 1 exit', '1000')
    .option('--expect-exit <codes>', 'comma-separated acceptable exit statuses', '0')
    .option('--second-signal-after <ms>', 'send the stop signal again this long after the first')
    .option('--crash <text>', 'instead of stopping PID 1, SIGKILL the process whose argv contains text (contract point 8); use with --expect-exit')
    .option('--json', 'print the report and violations as JSON')
    .exitOverride((error: CommanderError) => {
      // Commander has printed its message already; bad usage is status 2 here, help is 0.
      process.exit(error.exitCode === 0 ? 0 : 2);
    })
    .action(async (command: string[], flags: Flags) => {
      let report: StopReport;
      let expected: Expectations;
      try {
        expected = expectations(flags);
        report = await run(command, flags);
      } catch (error) {
        const usage = error instanceof UsageError;
        process.stderr.write(`graceful verify: ${usage ? '' : 'could not run the check: '}${(error as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      const violations = evaluateContract(report, expected);
      process.stdout.write(flags.json ? `${JSON.stringify({ report, violations }, null, 2)}\n` : `${formatReport(report, violations)}\n`);
      if (violations.length > 0) {
        process.stderr.write(`graceful verify: contract violated: ${violations.map(formatViolation).join('; ')}\n`);
      }
      process.exitCode = violations.length > 0 ? 1 : 0;
    });
}
