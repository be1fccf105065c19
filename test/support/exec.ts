import { spawnSync } from 'node:child_process';

export interface ExecResult {
  status: number | null;
  output: string;
}

/** Runs a real tool and returns its status with stdout+stderr, for assertion messages. */
export function exec(argv: string[], cwd?: string): ExecResult {
  const [cmd, ...args] = argv;
  const r = spawnSync(cmd!, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (r.error) return { status: null, output: `${argv.join(' ')}: ${r.error.message}` };
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
