import { formatViolation, type Violation } from './contract.ts';
import type { Fate, ProcessInfo, StopReport } from './report.ts';

const OUTPUT_TAIL_LINES = 20;

function ms(value: number | null): string {
  return value === null ? '?' : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

function describeFate(fate: Fate): string {
  switch (fate.kind) {
    case 'exited':
      return `exited ${fate.code}`;
    case 'signaled':
      return `killed by ${fate.signal}`;
    case 'killed-at-teardown':
      return 'killed by the kernel at namespace teardown (SIGKILL: PID 1 exited first)';
    case 'ended-unobserved':
      return 'ended (status not observed)';
    case 'alive':
      return 'still alive';
  }
}

const describeSignal = (report: StopReport) => (s: StopReport['signalsSent'][number]) => {
  if (s.reason === 'crash') return `${s.signal} to essential process ${report.crashed?.pid} ${report.crashed?.comm} at ${ms(s.atMs)}`;
  return `${s.signal} at ${ms(s.atMs)}${s.reason === 'grace-expired' ? ' (grace expired)' : ''}`;
};

/** Indents each process under its parent. */
function treeLines(tree: ProcessInfo[]): string[] {
  const pids = new Set(tree.map((p) => p.pid));
  const lines: string[] = [];
  const visit = (p: ProcessInfo, depth: number) => {
    const argv = p.argv.length > 0 ? p.argv.join(' ') : `[${p.comm}]`;
    lines.push(`  ${'  '.repeat(depth)}${p.nsPid ?? '?'} (host ${p.pid}) pgid=${p.pgid} sid=${p.sid} ${p.state} ${argv}`);
    for (const child of tree.filter((c) => c.ppid === p.pid)) visit(child, depth + 1);
  };
  for (const root of tree.filter((p) => !pids.has(p.ppid))) visit(root, 0);
  return lines;
}

function tail(text: string): string[] {
  const lines = text.trimEnd().split('\n');
  if (text.trim() === '') return ['  (empty)'];
  const shown = lines.slice(-OUTPUT_TAIL_LINES).map((line) => `  | ${line}`);
  return lines.length > OUTPUT_TAIL_LINES ? [`  | ... ${lines.length - OUTPUT_TAIL_LINES} earlier lines`, ...shown] : shown;
}

/** A human summary: what ran, the tree, what each process died of, timing, verdict. */
export function formatReport(report: StopReport, violations: Violation[]): string {
  const subject = report.image ?? report.argv.join(' ');
  const lines = [
    `${report.backend}: ${subject}${report.containerId ? ` (container ${report.containerId.slice(0, 12)})` : ''}`,
    `observed via ${report.method}; PID 1 = host pid ${report.pid1HostPid ?? '?'}`,
    `ready: ${report.readiness.ok ? 'yes' : 'NO'} after ${ms(report.readiness.ms)} (${report.readiness.detail})`,
    'process tree before the stop:',
    ...(report.treeBeforeStop.length > 0 ? treeLines(report.treeBeforeStop) : ['  (not captured)']),
    `signals: ${report.signalsSent.map(describeSignal(report)).join(', ') || 'none'}; grace ${report.graceSeconds} s`,
    `PID 1 exit: ${report.pid1Exit.status ?? '?'} (${report.pid1Exit.meaning}) ${ms(report.stopMs)} after the stop signal`,
    'fates:',
    ...report.fates.map((f) => {
      const name = f.argv.length > 0 ? f.argv.join(' ') : f.comm;
      const when = f.endedAtMs === null ? '' : ` at ${f.endedAtMs >= 0 ? '+' : ''}${ms(f.endedAtMs)}`;
      return `  ${f.isPid1 ? 'PID 1' : `pid ${f.nsPid ?? '?'}`} (host ${f.pid}) ${name}: ${describeFate(f.fate)}${when}`;
    }),
    `zombies lingering: ${report.zombies.length === 0 ? 'none' : report.zombies.map((z) => `${z.pid} ${z.comm}`).join(', ')}`,
  ];
  const inflight = report.inflight;
  if (inflight) {
    lines.push(`in-flight GET ${inflight.url}: ${inflight.outcome}, status ${inflight.status ?? 'none'}, ${inflight.bodyBytes} bytes, ${ms(inflight.durationMs)}${inflight.error ? ` (${inflight.error})` : ''}`);
  }
  for (const note of report.notes) lines.push(`note: ${note}`);
  lines.push('stdout:', ...tail(report.stdout.text), 'stderr:', ...tail(report.stderr.text));
  lines.push(violations.length === 0 ? 'verdict: PASS (shutdown contract holds)' : `verdict: FAIL (${violations.length} violated)`);
  lines.push(...violations.map((v) => `  ${formatViolation(v)}`));
  return lines.join('\n');
}
