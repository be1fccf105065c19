// SARIF 2.1.0 for code-scanning UIs. Rules are listed in id order; results in finding order.
import type { Analysis } from '../analyze.ts';
import { RULES } from '../rules/index.ts';
import type { Edit } from '../types.ts';

const LEVEL = { error: 'error', warning: 'warning', note: 'note' } as const;

function change(e: Edit) {
  return {
    artifactLocation: { uri: e.file, uriBaseId: 'SRCROOT' },
    replacements: [{ deletedRegion: { charOffset: e.start, charLength: e.end - e.start }, insertedContent: { text: e.text } }],
  };
}

export function sarifReport(a: Analysis, version: string): string {
  const rules = [...RULES].sort((x, y) => x.id.localeCompare(y.id));
  const results = a.findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: rules.findIndex((r) => r.id === f.ruleId),
    level: LEVEL[f.severity],
    message: { text: f.manual ? `${f.message}. ${f.manual}` : f.message },
    locations: [{
      physicalLocation: {
        artifactLocation: { uri: f.location.file, uriBaseId: 'SRCROOT' },
        region: { startLine: f.location.line, startColumn: f.location.column },
      },
    }],
    ...(f.edits ? { fixes: [{ description: { text: rules.find((r) => r.id === f.ruleId)?.fix ?? '' }, artifactChanges: f.edits.map(change) }] } : {}),
  }));
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'graceful-migrate',
          version,
          rules: rules.map((r) => ({
            id: r.id,
            name: r.name,
            shortDescription: { text: r.title },
            fullDescription: { text: r.why },
            help: { text: r.fix },
            defaultConfiguration: { level: LEVEL[r.severity] },
          })),
        },
      },
      columnKind: 'utf16CodeUnits',
      results,
    }],
  }, null, 2) + '\n';
}
