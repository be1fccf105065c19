import type { Stager } from './types.ts';

/** The image copies app.py to /app and installs nothing (standard library only): the host's python3 runs it. */
export const stage: Stager = async (projectDir) => ({
  binds: [{ source: projectDir, target: '/app' }],
  env: {},
  pathPrepend: [],
});
