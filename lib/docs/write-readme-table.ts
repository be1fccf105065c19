import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { replaceTable } from './support-table.ts';

const readme = fileURLToPath(new URL('../../README.md', import.meta.url));
writeFileSync(readme, replaceTable(readFileSync(readme, 'utf8')));
