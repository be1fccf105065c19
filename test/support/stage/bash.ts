import type { Stager } from './types.ts';

/** The image copies worker.sh to /app and runs it with the distro's bash, which the host has too. */
export const stage: Stager = async (projectDir) => ({
  binds: [{ source: projectDir, target: '/app' }],
  env: {},
  pathPrepend: [],
});
