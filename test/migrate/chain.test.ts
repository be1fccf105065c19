// The PID-1 chain: stages, ENV substitution, scripts calling scripts, `exec "$@"`, inits and wrappers.
import { describe, expect, it } from 'vitest';
import { memoryContext } from '../../lib/migrate/context.ts';
import { analyze, migrate } from '../../lib/migrate/analyze.ts';

const chainOf = (files: Record<string, string>) => analyze(memoryContext(files)).chain.map((s) => `${s.process}:${s.kind}:${s.argv.join(' ')}`);
const ruleIds = (files: Record<string, string>) => analyze(memoryContext(files)).findings.map((f) => `${f.ruleId}@${f.location.file}:${f.location.line}`);

describe('chain', () => {
  it('the final stage decides PID 1; an earlier stage\'s shell form does not count', () => {
    const files = { Dockerfile: 'FROM node:22 AS build\nCMD npm run build\n\nFROM node:22-slim\nCOPY --from=build /out /app\nCMD ["node", "/app/main.js"]\n' };
    expect(chainOf(files)).toEqual(['1:program:node /app/main.js']);
    expect(ruleIds(files)).toEqual([]);
  });

  it('FROM <stage> inherits CMD, ENV and STOPSIGNAL', () => {
    const files = { Dockerfile: 'FROM debian:12 AS base\nENV PORT=81\nSTOPSIGNAL SIGTERM\nCMD nginx -g "daemon off;" -p $PORT\n\nFROM base\nRUN true\n' };
    expect(chainOf(files)).toEqual(['1:shell:/bin/sh -c nginx -g "daemon off;" -p 81', '2:program:nginx -g daemon off; -p 81']);
    expect(ruleIds(files)).toEqual(['PID1014@Dockerfile:3', 'PID1001@Dockerfile:4']);
  });

  it('ARG defaults and ENV are substituted; SHELL changes what shell form runs', () => {
    const files = { Dockerfile: 'ARG BASE=python:3.12\nFROM ${BASE}\nARG APP=main\nENV ENTRY=${APP}.py\nSHELL ["/bin/bash", "-c"]\nCMD python $ENTRY\n' };
    expect(chainOf(files)).toEqual(['1:shell:/bin/bash -c python main.py', '2:program:python main.py']);
  });

  it('follows a script that execs another script, and reports the one that does not exec', () => {
    const files = {
      Dockerfile: 'FROM debian:12\nCOPY entry.sh start.sh /usr/local/bin/\nENTRYPOINT ["entry.sh"]\n',
      'entry.sh': '#!/bin/sh\nset -e\nexec start.sh --port 80\n',
      'start.sh': '#!/bin/bash\necho starting\nnginx -g "daemon off;"\n',
    };
    expect(chainOf(files)).toEqual(['1:shell:sh entry.sh', '1:shell:bash start.sh --port 80', '2:program:nginx -g daemon off;']);
    const m = migrate(memoryContext(files));
    expect(m.before.findings.map((f) => `${f.ruleId}@${f.location.file}:${f.location.line}`)).toEqual(['PID1004@start.sh:3', 'PID1014@start.sh:3']);
    expect(m.changed.get('start.sh')).toBe('#!/bin/bash\necho starting\nexec nginx -g "daemon off;"\n');
    expect(m.changed.get('Dockerfile')).toBe('FROM debian:12\nCOPY entry.sh start.sh /usr/local/bin/\nSTOPSIGNAL SIGQUIT\nENTRYPOINT ["entry.sh"]\n');
  });

  it('`exec "$@"` continues with CMD, and fixes land in the CMD', () => {
    const files = {
      Dockerfile: 'FROM node:22\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["/app/entry.sh"]\nCMD ["npm", "start"]\n',
      'entry.sh': '#!/bin/sh\nexec "$@"\n',
      'package.json': '{ "scripts": { "start": "node index.js" } }\n',
      'index.js': "process.on('SIGTERM', () => process.exit(0));\n",
    };
    expect(chainOf(files)).toEqual(['1:shell:sh entry.sh npm start', '1:launcher:npm start', '2:shell:sh -c node index.js', '3:program:node index.js']);
    expect(migrate(memoryContext(files)).changed.get('Dockerfile')).toBe(files.Dockerfile.replace('["npm", "start"]', '["node", "index.js"]'));
  });

  it('an init makes the next program its child; gosu and env exec in place', () => {
    const files = { Dockerfile: 'FROM debian:12\nENTRYPOINT ["tini", "-g", "--"]\nCMD ["gosu", "app", "env", "A=1", "php-fpm", "-F"]\n' };
    expect(chainOf(files)).toEqual(['1:init:tini -g -- gosu app env A=1 php-fpm -F', '2:exec-wrapper:gosu app env A=1 php-fpm -F', '2:exec-wrapper:env A=1 php-fpm -F', '2:program:php-fpm -F']);
    expect(ruleIds(files)).toEqual(['PID1015@Dockerfile:1', 'PID1019@Dockerfile:2', 'PID1014@Dockerfile:3']);
  });

  it('ENTRYPOINT ["/bin/sh", "-c"] takes its script from CMD, and the fix lands there', () => {
    const files = { Dockerfile: 'FROM node:22\nENTRYPOINT ["/bin/sh", "-c"]\nCMD ["node app.js --port $PORT"]\n' };
    const m = migrate(memoryContext(files));
    expect(m.before.findings.map((f) => `${f.ruleId}@${f.location.line}:${f.location.column}`)).toEqual(['PID1002@3:7']);
    expect(m.changed.get('Dockerfile')).toBe('FROM node:22\nENTRYPOINT ["/bin/sh", "-c"]\nCMD ["exec node app.js --port $PORT"]\n');
  });

  it('an official image\'s docker-entrypoint.sh hands PID 1 to CMD, so a shell-form CMD behind it is found', () => {
    const files = { Dockerfile: 'FROM node:22\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD node app.js\n' };
    expect(chainOf(files)).toEqual(['1:exec-wrapper:docker-entrypoint.sh /bin/sh -c node app.js', '1:shell:/bin/sh -c node app.js', '2:program:node app.js']);
    const m = migrate(memoryContext(files));
    expect(m.before.findings.map((f) => f.ruleId)).toEqual(['PID1001']);
    expect(m.changed.get('Dockerfile')).toBe('FROM node:22\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["node", "app.js"]\n');
  });

  it('a script that runs itself does not loop', () => {
    const files = { Dockerfile: 'FROM debian:12\nCOPY a.sh /a.sh\nCMD ["/a.sh"]\n', 'a.sh': '#!/bin/sh\nexec /a.sh\n' };
    expect(chainOf(files)).toEqual(['1:shell:sh a.sh', '1:shell:/a.sh']);
  });

  it('CRLF scripts and an escape directive are handled without corrupting bytes', () => {
    const files = { Dockerfile: 'FROM debian:12\r\nCOPY s.sh /s.sh\r\nCMD ["/s.sh"]\r\n', 's.sh': '#!/bin/sh\r\necho hi\r\nnode x.js\r\n' };
    expect(migrate(memoryContext(files)).changed.get('s.sh')).toBe('#!/bin/sh\r\necho hi\r\nexec node x.js\r\n');
    const escaped = { Dockerfile: '# escape=`\nFROM mcr.microsoft.com/windows\nCMD node `\n  x.js\n' };
    const m = migrate(memoryContext(escaped));
    expect(m.before.findings.map((f) => f.ruleId)).toEqual(['PID1001']);
    expect(m.changed.size).toBe(0);
  });
});

describe('build context', () => {
  it('never reads outside the context directory', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { fsContext } = await import('../../lib/migrate/context.ts');
    const parent = mkdtempSync(join(tmpdir(), 'migrate-ctx-'));
    mkdirSync(join(parent, 'ctx'));
    writeFileSync(join(parent, 'secret.sh'), '#!/bin/sh\nnode x.js\n');
    writeFileSync(join(parent, 'ctx', 'Dockerfile'), 'FROM debian:12\nCOPY ../secret.sh /s.sh\nCMD ["sh", "/s.sh"]\n');
    const ctx = fsContext(join(parent, 'ctx'));
    expect(ctx.read('../secret.sh')).toBeUndefined();
    expect(analyze(ctx).findings.map((f) => f.ruleId)).toEqual(['PID1901']);
  });
});
