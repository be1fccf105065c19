// Generates lib/migrate/RULES.md from the rule table: `node lib/migrate/rules-doc.ts > lib/migrate/RULES.md`.
import { RULES } from './rules/index.ts';

export function rulesMarkdown(): string {
  const cell = (t: string) => t.replace(/\|/g, '\\|');
  const rows = RULES.map((r) => `| ${r.id} | \`${r.name}\` | ${r.severity} | ${cell(r.title)} | ${cell(r.why)} | ${cell(r.fix)} |`);
  return [
    '# `graceful migrate` rules',
    '',
    'Generated from lib/migrate/rules/ by lib/migrate/rules-doc.ts; a test fails when it is out of date.',
    'Ids are stable and never reused. Names match the problem tags of shared/cases/TAGS.md where one exists.',
    '',
    '| id | name | severity | title | why it breaks shutdown | fix |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

if (import.meta.main) process.stdout.write(rulesMarkdown());
