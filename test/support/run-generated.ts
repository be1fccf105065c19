import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPidns, type PidnsOptions } from '../../lib/verify/pidns.ts';
import type { StopReport } from '../../lib/verify/report.ts';
import { readImageRunSpec, type ImageRunSpec } from './dockerfile.ts';
import type { StagedService, Stager } from './stage/types.ts';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface StagedProject {
  dir: string;
  spec: ImageRunSpec;
  staged: StagedService;
  port?: number;
}

/** Stages a generated project for the host with its runtime's stager (one fixture per runtime). */
export async function stageProject(dir: string, runtime: string, port?: number): Promise<StagedProject> {
  const { stage } = (await import(`./stage/${runtime}.ts`)) as { stage: Stager };
  const staged = await stage(dir, mkdtempSync(join(tmpdir(), `graceful-stage-${runtime}-`)));
  return { dir, spec: readImageRunSpec(join(dir, 'Dockerfile')), staged, ...(port === undefined ? {} : { port }) };
}

export interface StopRun {
  report: StopReport;
  markerDir: string;
}

/**
 * Runs the image's own PID-1 argv (or `argv` for a naive variant) as PID 1 of a fresh pid namespace,
 * with the image's ENV and WORKDIR, then stops it like `docker stop` would.
 */
export async function stopStaged(
  project: StagedProject,
  options: Omit<PidnsOptions, 'argv' | 'env' | 'cwd' | 'binds'> & { argv?: string[]; env?: Record<string, string> },
): Promise<StopRun> {
  const markerDir = mkdtempSync(join(tmpdir(), 'graceful-markers-'));
  const { spec, staged } = project;
  const env: Record<string, string> = {
    ...spec.env,
    ...staged.env,
    PATH: [...staged.pathPrepend, spec.env.PATH ?? DEFAULT_PATH].join(':'),
    CLEANUP_MARKER_DIR: markerDir,
    ...(project.port === undefined ? {} : { PORT: String(project.port) }),
    ...options.env,
  };
  const report = await runPidns({
    ...options,
    argv: options.argv ?? spec.pid1,
    env,
    cwd: spec.workdir,
    binds: staged.binds,
  });
  return { report, markerDir };
}
