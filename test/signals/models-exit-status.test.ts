// docs/exit-status.md cannot drift from the registry: each model's table there is the one its plan
// declares (rendered for the model's first runtime and init), and the signal tests assert its rows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { models } from '../../lib/registry/models/index.ts';
import { runtimes } from '../../lib/registry/runtimes/index.ts';

const doc = readFileSync(new URL('../../docs/exit-status.md', import.meta.url), 'utf8');

export function exitTableMarkdown(modelId: keyof typeof models): string {
  const model = models[modelId];
  const plan = model.plan!(runtimes[model.runtimes[0]!], { init: model.inits[0]! });
  const rows = plan.exitTable.map((r) => `| ${r.situation} | ${r.status} |`);
  return ['| situation | container exit status |', '| --- | --- |', ...rows].join('\n');
}

describe('docs/exit-status.md', () => {
  for (const model of Object.values(models).filter((m) => m.available && m.plan)) {
    it(`has the ${model.id} model's table as the registry declares it`, () => {
      expect(doc).toContain(`## ${model.id}: ${model.title}\n`);
      expect(doc).toContain(exitTableMarkdown(model.id));
    });
  }
});
