// `graceful migrate` end to end through the CLI: exit codes, formats, bad input, writes.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { CASES_DIR } from './support.ts';

const CLI = fileURLToPath(new URL('../fixtures/migrate/cli.ts', import.meta.url));

const graceful = (args: string[], cwd: string) => runCli(CLI, args, { cwd, env: { ...process.env, HOME: cwd } });

function copyCase(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrate-cli-'));
  cpSync(join(CASES_DIR, name), join(dir, 'img'), { recursive: true });
  return dir;
}

const snapshotDir = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

describe('graceful migrate', () => {
  it('--check exits 1 with findings, writes nothing, and names file:line and rule', async () => {
    const cwd = copyCase('12-jvm-tomcat-startup-wrapper');
    const before = snapshotDir(join(cwd, 'img'));
    const run = await graceful(['migrate', 'img', '--check'], cwd);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Dockerfile:7:1: error PID1001 shell-form-cmd');
    expect(run.stdout).toContain('startup.sh:6:1: error PID1004 no-exec-in-entrypoint');
    expect(run.stdout).toMatch(/PID 1 +shell/);
    expect(snapshotDir(join(cwd, 'img'))).toEqual(before);
  });

  it('--check exits 0 on a correct image', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'migrate-cli-'));
    writeFileSync(join(cwd, 'Dockerfile'), 'FROM nginx:1.27\nCMD ["nginx", "-g", "daemon off;"]\n');
    const run = await graceful(['migrate', '--check'], cwd);
    expect(run.stdout).toContain('No PID-1 problems found.');
    expect(run.code).toBe(0);
  });

  it('--format json and sarif are stable across runs and parse', async () => {
    const cwd = copyCase('19-supervisord-not-pid1');
    const json1 = await graceful(['migrate', 'img', '--check', '--format', 'json'], cwd);
    const json2 = await graceful(['migrate', 'img/Dockerfile', '--check', '--format', 'json'], cwd);
    expect(json1.code).toBe(1);
    expect(json1.stdout).toBe(json2.stdout);
    const parsed = JSON.parse(json1.stdout) as { findings: { ruleId: string; file: string; line: number; automatic: boolean }[] };
    expect(parsed.findings.map((f) => `${f.ruleId}@${f.file}:${f.line}`)).toEqual(['PID1004@init.sh:4', 'PID1011@init.sh:4', 'PID1012@supervisord.conf:1']);
    const sarif1 = await graceful(['migrate', 'img', '--check', '--format', 'sarif'], cwd);
    const sarif2 = await graceful(['migrate', 'img', '--check', '--format', 'sarif'], cwd);
    expect(sarif1.stdout).toBe(sarif2.stdout);
    const s = JSON.parse(sarif1.stdout) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    expect(s.version).toBe('2.1.0');
    const run = s.runs[0]!;
    expect(run.results.map((r) => r.ruleId)).toEqual(['PID1004', 'PID1011', 'PID1012']);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
  });

  it('rejects an unknown --format', async () => {
    const cwd = copyCase('05-python-uvicorn-shell-form-cmd');
    const run = await graceful(['migrate', 'img', '--check', '--format', 'xml'], cwd);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/xml/);
  });

  it.each([
    ['a missing path', null, 'nope', /^nope:1: error: no such file or directory$/m],
    ['a file that is not a Dockerfile', 'hello there\n', 'Dockerfile', /^Dockerfile:1: error: not a Dockerfile/m],
    ['an unknown instruction', 'FROM x\nRUN true\nFROMM y\n', 'Dockerfile', /^Dockerfile:3: error: unknown instruction 'FROMM'$/m],
    ['binary content', '\u0000\u0001\u0002', 'Dockerfile', /^Dockerfile:1: error: not a Dockerfile: binary content$/m],
  ])('%s gives file:line and exit 2, no stack trace', async (_what, content, arg, message) => {
    const cwd = mkdtempSync(join(tmpdir(), 'migrate-cli-'));
    if (content !== null) writeFileSync(join(cwd, 'Dockerfile'), content);
    for (const mode of [['--check'], ['--force']]) {
      const run = await graceful(['migrate', arg, ...mode], cwd);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.code).toBe(2);
      expect(readdirSync(cwd).filter((f) => f.endsWith('.orig'))).toEqual([]);
    }
  });

  it('a script too large to be one is reported with its name, not a crash', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'migrate-cli-'));
    writeFileSync(join(cwd, 'Dockerfile'), 'FROM debian:12\nCOPY e.sh /e.sh\nCMD ["/e.sh"]\n');
    writeFileSync(join(cwd, 'e.sh'), '#'.repeat(5 * 1024 * 1024));
    const run = await graceful(['migrate', '--check'], cwd);
    expect(run.stderr).toMatch(/^e\.sh:1: error: file is larger than \d+ bytes$/m);
    expect(run.code).toBe(2);
  });

  it('--check does not load Yeoman: nothing imported from bin/commands/migrate.ts reaches it', () => {
    const seen = new Set<string>();
    const external: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = readFileSync(file, 'utf8');
      // Static imports only; the generator is reached through the injected runGenerator.
      for (const m of src.matchAll(/^import\s+(?!type\b)[^'"]*['"]([^'"]+)['"]/gm)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) visit(fileURLToPath(new URL(spec, `file://${file}`)));
        else external.push(spec);
      }
    };
    visit(fileURLToPath(new URL('../../bin/commands/migrate.ts', import.meta.url)));
    expect(seen.size).toBeGreaterThan(10);
    expect(external.filter((s) => /yeoman/.test(s))).toEqual([]);
    expect(external).toContain('dockerfile-ast');
  });

  it('a script the Dockerfile copies but the context lacks is a finding with file:line', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'migrate-cli-'));
    writeFileSync(join(cwd, 'Dockerfile'), 'FROM debian:12\nCOPY start.sh /start.sh\nCMD ["sh", "/start.sh"]\n');
    const run = await graceful(['migrate', '--check'], cwd);
    expect(run.stdout).toContain("Dockerfile:3:12: warning PID1901 script-not-found: script '/start.sh' is copied from 'start.sh', which is not in the build context");
    expect(run.code).toBe(1);
  });

  it('without --check it rewrites through the generator, keeps *.orig and prints a diff', async () => {
    const cwd = copyCase('16-bash-su-swallows-signal');
    const original = readFileSync(join(cwd, 'img', 'entrypoint.sh'), 'utf8');
    const run = await graceful(['migrate', 'img', '--force'], cwd);
    expect(run.code).toBe(0);
    expect(readFileSync(join(cwd, 'img', 'entrypoint.sh.orig'), 'utf8')).toBe(original);
    expect(readFileSync(join(cwd, 'img', 'entrypoint.sh'), 'utf8')).toContain('exec setpriv --reuid=store --regid=store --init-groups /bin/sh -c "exec python3');
    expect(run.stdout + run.stderr).toContain('+exec setpriv');
    expect(run.stdout + run.stderr).toContain('-exec su store');
    const again = await graceful(['migrate', 'img', '--check'], cwd);
    expect(again.code).toBe(0);
  });

  it('--format sarif while fixing keeps stdout pure SARIF; Yeoman\'s status goes to stderr', async () => {
    const cwd = copyCase('22-nginx-stopsignal-sigterm');
    const run = await graceful(['migrate', 'img', '--force', '--format', 'sarif'], cwd);
    expect(run.code).toBe(0);
    const sarif = JSON.parse(run.stdout) as { runs: { results: { ruleId: string }[] }[] };
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toEqual(['PID1014']);
    expect(run.stderr).toContain('+STOPSIGNAL SIGQUIT');
  });

  it('--dry-run writes nothing', async () => {
    const cwd = copyCase('22-nginx-stopsignal-sigterm');
    const before = snapshotDir(join(cwd, 'img'));
    const run = await graceful(['migrate', 'img', '--dry-run'], cwd);
    expect(run.code).toBe(0);
    expect(snapshotDir(join(cwd, 'img'))).toEqual(before);
  });

  it('an existing *.orig is never overwritten', async () => {
    const cwd = copyCase('22-nginx-stopsignal-sigterm');
    writeFileSync(join(cwd, 'img', 'Dockerfile.orig'), 'older backup\n');
    const run = await graceful(['migrate', 'img', '--force'], cwd);
    expect(run.code).toBe(0);
    expect(readFileSync(join(cwd, 'img', 'Dockerfile.orig'), 'utf8')).toBe('older backup\n');
    expect(readFileSync(join(cwd, 'img', 'Dockerfile'), 'utf8')).toContain('STOPSIGNAL SIGQUIT');
  });

  it('without --force and without a terminal, a conflict does not hang and leaves the file as it was', async () => {
    const cwd = copyCase('05-python-uvicorn-shell-form-cmd');
    const before = readFileSync(join(cwd, 'img', 'Dockerfile'), 'utf8');
    const run = await graceful(['migrate', 'img'], cwd);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--force/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(cwd, 'img', 'Dockerfile'), 'utf8')).toBe(before);
    expect(existsSync(join(cwd, 'img', 'Dockerfile.orig'))).toBe(false);
  });

  it('a directory without a Dockerfile is an input error', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'migrate-cli-'));
    mkdirSync(join(cwd, 'empty'));
    const run = await graceful(['migrate', 'empty', '--check'], cwd);
    expect(run.stderr).toMatch(/^Dockerfile:1: error: no such file$/m);
    expect(run.code).toBe(2);
    expect(existsSync(join(cwd, 'empty', 'Dockerfile'))).toBe(false);
  });
});
