import { allCombinations, inits, models, runtimes } from '../registry/matrix.ts';

export const TABLE_START = '<!-- support-table:start (generated from lib/registry; `npm run docs` rewrites it) -->';
export const TABLE_END = '<!-- support-table:end -->';

/** The README's support table, made from the registry so it cannot drift from what the generator does. */
export function supportTable(): string {
  const combos = allCombinations();
  const rows = Object.values(runtimes).map((r) => {
    const cells = Object.values(models).map((m) => {
      const ok = combos.filter((c) => c.runtime === r.id && c.model === m.id).map((c) => c.init);
      return ok.length > 0 ? ok.join(', ') : m.available ? '—' : 'planned';
    });
    const status = r.exitStatus.graceful;
    return `| ${r.id} | ${r.images.run} | ${cells.join(' | ')} | ${status} |`;
  });
  const header = `| runtime | base image | ${Object.values(models).map((m) => `${m.id}`).join(' | ')} | exit after SIGTERM |`;
  const rule = `| --- | --- | ${Object.values(models).map(() => '---').join(' | ')} | --- |`;
  const initList = Object.values(inits).map((i) => `- \`${i.id}\`: ${i.summary}`);
  return [TABLE_START, header, rule, ...rows, '', 'Inits:', ...initList, TABLE_END].join('\n');
}

export function replaceTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < 0) throw new Error('README.md has no support-table markers');
  return readme.slice(0, start) + supportTable() + readme.slice(end + TABLE_END.length);
}
