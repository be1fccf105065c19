import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, dockerCli } from '../../lib/verify/docker-cli.ts';

/** The docker suite never skips: without an engine it fails with what to do. */
export async function requireEngine(): Promise<void> {
  const info = await docker(['info', '--format', '{{.ServerVersion}}'], 20_000);
  if (info.code !== 0) {
    throw new Error(
      `no Docker engine answers (${dockerCli()}, DOCKER_HOST=${process.env.DOCKER_HOST ?? 'unset'}): ${info.stderr.trim()}\n` +
        'start one with: eval "$(test/docker/infra/engine.sh up | tail -1)" && test/docker/infra/engine.sh images',
    );
  }
}

/** A host directory the container's non-root user can write cleanup markers into. */
export function markerDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'graceful-docker-markers-'));
  chmodSync(dir, 0o777);
  return dir;
}

export async function build(dir: string, tag: string): Promise<void> {
  const result = await docker(['build', '-q', '-t', tag, dir], 900_000);
  if (result.code !== 0) throw new Error(`docker build ${dir} failed:\n${result.stderr}`);
}
