// Thousands of mutated Dockerfiles and scripts (from the shared cases and a small grammar):
// migrate must either report a MigrateError with file:line or succeed, never throw anything else,
// and its own rewrites must stay parseable. Fixed seed, bounded in time.
import { describe, expect, it } from 'vitest';
import { memoryContext } from '../../lib/migrate/context.ts';
import { migrate } from '../../lib/migrate/analyze.ts';
import { report } from '../../lib/migrate/index.ts';
import { MigrateError } from '../../lib/migrate/types.ts';
import { unifiedDiff } from '../../lib/migrate/diff.ts';
import { caseFiles, caseNames } from './support.ts';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['"', "'", '\\', '\\\n', '$', '${', '$(', '`', '{', '}', '(', ')', '[', ']', '|', '&', '&&', ';', ';;', '\n', '#', ' ', '\t',
  '<<EOF\n', '\nEOF\n', 'exec ', 'trap "x" TERM\n', ' &\n', ' | tee log\n', 'su app -c "', 'sudo -u x ', 'npm start', 'if true; then\n', 'fi\n',
  'case $1 in\n', 'esac\n', 'f() {\n', '}\n', 'CMD ', 'ENTRYPOINT ', '["sh", "-c", "', '"]', 'STOPSIGNAL ', 'FROM ', ' AS b\n', 'COPY . .\n',
  'ENV A=', 'ARG X\n', 'SHELL ["/bin/bash", "-c"]\n', 'USER 1000\n', 'WORKDIR /app\n', '# escape=`\n', '\u0000', '\r\n', 'é', '\u{1F600}'];

const CMDS = ['node server.js', 'python3 app.py', 'java -Xrs -jar a.jar', 'nginx -g "daemon off;"', 'php-fpm', 'supervisord -c s.conf',
  'npm start', 'yarn start', 'sh /e.sh', '/e.sh', 'tini -- node a.js', 'su app -c "node a.js"', 'gosu app node a.js', 'tail -f /dev/null',
  'sleep infinity', 'bash -c "exec node a.js"', 'dumb-init nginx', 'apache2ctl -D FOREGROUND', 'python worker.py --detach'];

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)]!;
}

function mutate(r: () => number, text: string): string {
  let t = text;
  const n = 1 + Math.floor(r() * 4);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(r() * (t.length + 1));
    const op = Math.floor(r() * 6);
    if (op === 0) t = t.slice(0, at) + pick(r, PIECES) + t.slice(at);
    else if (op === 1) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 8));
    else if (op === 2) t = t.slice(0, at);
    else if (op === 3) {
      const lines = t.split('\n');
      const i = Math.floor(r() * lines.length);
      lines.splice(Math.floor(r() * lines.length), 0, lines[i]!);
      t = lines.join('\n');
    } else if (op === 4) {
      const lines = t.split('\n');
      lines.splice(Math.floor(r() * lines.length), 1);
      t = lines.join('\n');
    } else t = t.slice(0, at) + `\n${pick(r, CMDS)}\n` + t.slice(at);
  }
  return t;
}

/** A small grammar of Dockerfiles with a script. */
function generate(r: () => number): Record<string, string> {
  const base = pick(r, ['python:3.12-slim', 'node:22', 'nginx:1.27', 'php:8.3-fpm', 'debian:12', 'alpine:3.20', 'eclipse-temurin:21', 'b']);
  const lines = [`FROM ${base}${r() < 0.2 ? ' AS b' : ''}`];
  if (r() < 0.3) lines.push(`FROM b`);
  if (r() < 0.5) lines.push('WORKDIR /app');
  if (r() < 0.5) lines.push('COPY . .');
  if (r() < 0.3) lines.push(`COPY e.sh /e.sh`);
  if (r() < 0.3) lines.push(`ENV PORT=8000 JAVA_OPTS="-Xrs"`);
  if (r() < 0.2) lines.push(`STOPSIGNAL ${pick(r, ['SIGTERM', 'SIGQUIT', '15', 'SIGINT', 'bogus'])}`);
  if (r() < 0.3) lines.push(`ENTRYPOINT ${r() < 0.5 ? '["/e.sh"]' : pick(r, CMDS)}`);
  const cmd = pick(r, CMDS);
  lines.push(`CMD ${r() < 0.5 ? JSON.stringify(cmd.split(' ')) : cmd}`);
  const script = ['#!/bin/sh', ...Array.from({ length: 1 + Math.floor(r() * 5) }, () => pick(r, [...CMDS, 'trap "exit 0" TERM', 'exec "$@"', 'x &', 'cd /app']))];
  return {
    Dockerfile: lines.join('\n') + '\n', 'e.sh': script.join('\n') + '\n', 'server.js': 'require("http")\n', 'app.py': 'import time\n',
    'package.json': pick(r, ['{"scripts":{"start":"node server.js"}}', '{', '{"scripts":{"start":"a && b"}}']), 's.conf': '[supervisord]\n',
  };
}

function exercise(files: Record<string, string>): 'ok' | 'input-error' {
  try {
    const m = migrate(memoryContext(files));
    for (const f of ['text', 'json', 'sarif'] as const) report(m.after, f, '0.0.0');
    JSON.parse(report(m.before, 'sarif', '0.0.0'));
    for (const [p, t] of m.changed) unifiedDiff(p, m.original.get(p) ?? '', t);
    for (const f of [...m.before.findings, ...m.after.findings]) {
      if (f.location.line < 1 || f.location.column < 1) throw new Error(`bad location ${JSON.stringify(f.location)}`);
    }
    return 'ok';
  } catch (e) {
    if (e instanceof MigrateError) {
      if (!/^[^:]+:\d+: error: \S/.test(e.format())) throw new Error(`badly formatted: ${e.format()}`);
      return 'input-error';
    }
    throw new Error(`crash on input ${JSON.stringify(files).slice(0, 2000)}: ${(e as Error).stack}`);
  }
}

const BUDGET_MS = 4000;

describe('fuzz', () => {
  it('mutated shared cases and generated images never crash migrate', () => {
    const r = rng(0x9e3779b9);
    const cases = caseNames().map(caseFiles);
    const seen = { ok: 0, 'input-error': 0 };
    const until = Date.now() + BUDGET_MS;
    let runs = 0;
    while (runs < 5000 && (Date.now() < until || runs < 1000)) {
      let files: Record<string, string>;
      if (runs % 3 === 2) files = generate(r);
      else {
        files = { ...pick(r, cases) };
        const names = Object.keys(files).filter((n) => n === 'Dockerfile' || n.endsWith('.sh') || n.endsWith('.json') || n.endsWith('.conf'));
        const target = r() < 0.6 ? 'Dockerfile' : pick(r, names);
        files[target] = mutate(r, files[target] ?? '');
      }
      seen[exercise(files)]++;
      runs++;
    }
    expect(runs).toBeGreaterThanOrEqual(1000);
    // Both outcomes must occur, or the mutations are not reaching the interesting paths.
    expect(seen.ok).toBeGreaterThan(100);
    expect(seen['input-error']).toBeGreaterThan(10);
  }, 30_000);
});
