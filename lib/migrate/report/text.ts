// Human-readable report: the PID-1 chain, then one block per finding.
import type { Analysis } from '../analyze.ts';
import { ruleById } from '../rules/index.ts';

export function chainText(a: Analysis): string[] {
  if (a.chain.length === 0) return ['  (no CMD or ENTRYPOINT in this Dockerfile; PID 1 comes from the base image)'];
  const lines = a.chain.map((s) => {
    const argv = s.argv.join(' ');
    const shown = argv.length > 70 ? `${argv.slice(0, 67)}...` : argv;
    const who = s.process === 1 ? 'PID 1' : `child ${s.process - 1}`;
    return `  ${who.padEnd(8)} ${s.kind.padEnd(12)} ${shown}  (${s.file}:${s.line})`;
  });
  return lines;
}

export function textReport(a: Analysis, options: { fixedNote?: string } = {}): string {
  const from = { dockerfile: 'STOPSIGNAL', 'base-image': 'from the base image', default: "Docker's default" }[a.stopSignal.source];
  const out = [`${a.dockerfile}: process chain`, ...chainText(a), `  stop signal ${a.stopSignal.name} (${from}) goes to PID 1 only`, ''];
  for (const f of a.findings) {
    const r = ruleById(f.ruleId);
    out.push(`${f.location.file}:${f.location.line}:${f.location.column}: ${f.severity} ${f.ruleId} ${f.ruleName}: ${f.message}`);
    if (r) out.push(`    why: ${r.why}`);
    if (f.edits) out.push(`    fix: ${r?.fix ?? ''} ${options.fixedNote ?? '(automatic)'}`);
    if (f.manual) out.push(...f.manual.split('\n').map((l, i) => (i === 0 ? `    by hand: ${l}` : `      ${l}`)));
  }
  const auto = a.findings.filter((f) => f.edits).length;
  out.push(a.findings.length === 0
    ? 'No PID-1 problems found.'
    : `${a.findings.length} finding${a.findings.length === 1 ? '' : 's'}, ${auto} fixable automatically (run without --check to apply).`);
  return out.join('\n') + '\n';
}
