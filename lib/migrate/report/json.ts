// Machine-readable report; key order and finding order are fixed so output is stable for CI diffs.
import type { Analysis } from '../analyze.ts';
import { ruleById } from '../rules/index.ts';

export function jsonReport(a: Analysis): string {
  const findings = a.findings.map((f) => {
    const r = ruleById(f.ruleId);
    return {
      ruleId: f.ruleId, rule: f.ruleName, severity: f.severity,
      file: f.location.file, line: f.location.line, column: f.location.column,
      message: f.message, why: r?.why ?? '', fix: r?.fix ?? '',
      automatic: f.edits !== undefined, ...(f.manual ? { manual: f.manual } : {}),
    };
  });
  return JSON.stringify({
    version: 1,
    dockerfile: a.dockerfile,
    stopSignal: a.stopSignal,
    chain: a.chain,
    findings,
    summary: { findings: findings.length, automatic: findings.filter((f) => f.automatic).length },
  }, null, 2) + '\n';
}
