import { fileURLToPath } from 'node:url';
import type { Stager } from './types.ts';

// The repo's Node 24 (devDependency `node`) stands in for the image's; the host's own node may be older.
const nodeBin = fileURLToPath(new URL('../../../node_modules/.bin', import.meta.url));

/** The image copies server.js and package.json to /app and installs nothing: there is no build step. */
export const stage: Stager = async (projectDir) => ({
  binds: [{ source: projectDir, target: '/app' }],
  env: {},
  pathPrepend: [nodeBin],
});
