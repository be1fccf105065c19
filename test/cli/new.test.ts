import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRACEFUL_BIN, runCli } from '../support/cli.ts';

/** The CLI in a scratch directory, without a terminal. */
const graceful = (args: string[], cwd: string) => runCli(GRACEFUL_BIN, args, { cwd });

const scratch = () => mkdtempSync(join(tmpdir(), 'graceful-cli-'));

describe('graceful CLI', () => {
  it('--help lists the commands and new --help lists every flag with allowed values', async () => {
    const top = await graceful(['--help'], scratch());
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/new \[options\] \[dir\]/);
    const help = await graceful(['new', '--help'], scratch());
    for (const flag of ['--name', '--runtime', '--model', '--init', '--port', '--drain', '--grace', '--yes', '--force', '--dry-run']) {
      expect(help.stdout).toContain(flag);
    }
    expect(help.stdout).toMatch(/node, python, jvm, tomcat, bash/);
  });

  it('new <dir> --runtime python --yes writes a service without asking, even with no terminal', async () => {
    const cwd = scratch();
    const run = await graceful(['new', 'demo', '--runtime', 'python', '--yes'], cwd);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    for (const f of ['Dockerfile', 'app.py', 'SIGNALS.md', '.dockerignore', '.yo-rc.json']) expect(existsSync(join(cwd, 'demo', f)), f).toBe(true);
    expect(readFileSync(join(cwd, 'demo', 'Dockerfile'), 'utf8')).toContain('CMD ["python3","app.py"]');
  });

  it('without a terminal and without --yes it names the flag to pass instead of hanging', async () => {
    const cwd = scratch();
    const run = await graceful(['new', 'demo'], cwd);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/no terminal to ask .*; pass --name <value>, or --yes for defaults/);
    expect(existsSync(join(cwd, 'demo'))).toBe(false);
  });

  it('bad input: exit 2, one clear message naming the flag, no directory left behind', async () => {
    const cwd = scratch();
    const run = await graceful(['new', 'demo', '--runtime', 'ruby', '--yes'], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/graceful: --runtime: unknown value 'ruby'; allowed: node, python, jvm, tomcat, bash/);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(existsSync(join(cwd, 'demo'))).toBe(false);
  });

  it('a re-run changes nothing; a hand-edited file is never overwritten without --force', async () => {
    const cwd = scratch();
    expect((await graceful(['new', 'svc', '--runtime', 'node', '--yes'], cwd)).code).toBe(0);
    const again = await graceful(['new', 'svc'], cwd);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/identical/);

    const dockerfile = join(cwd, 'svc', 'Dockerfile');
    writeFileSync(dockerfile, readFileSync(dockerfile, 'utf8') + '# my local change\n');
    const conflicted = await graceful(['new', 'svc'], cwd);
    expect(conflicted.code).not.toBe(0);
    expect(conflicted.stderr).toMatch(/--force/);
    expect(readFileSync(dockerfile, 'utf8')).toContain('# my local change');

    // The stopped run must not have stored answers the files don't match.
    const stopped = await graceful(['new', 'svc', '--runtime', 'python', '--yes'], cwd);
    expect(stopped.code).not.toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, 'svc', '.yo-rc.json'), 'utf8'))['generator-graceful'].runtime).toBe('node');

    const forced = await graceful(['new', 'svc', '--force'], cwd);
    expect(forced.code).toBe(0);
    expect(readFileSync(dockerfile, 'utf8')).not.toContain('# my local change');
  });

  it('flags given on a re-run win over the stored answers', async () => {
    const cwd = scratch();
    expect((await graceful(['new', 'svc', '--runtime', 'node', '--yes'], cwd)).code).toBe(0);
    expect((await graceful(['new', 'svc', '--init', 'dumb-init', '--force'], cwd)).code).toBe(0);
    expect(readFileSync(join(cwd, 'svc', 'Dockerfile'), 'utf8')).toContain('ENTRYPOINT ["/usr/bin/dumb-init","--"]');
    expect(JSON.parse(readFileSync(join(cwd, 'svc', '.yo-rc.json'), 'utf8'))['generator-graceful'].init).toBe('dumb-init');
  });
});
