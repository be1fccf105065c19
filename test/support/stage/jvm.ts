// Host stager for the JVM runtime: performs templates/_partials/dockerfile/jvm-build.ejs with the
// host JDK (javac/jar 17) and binds the result where the image keeps it, /app/app.jar.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Stager } from './types.ts';

const run = promisify(execFile);

export const stage: Stager = async (projectDir, scratch) => {
  const classes = join(scratch, 'classes');
  const app = join(scratch, 'app');
  await mkdir(classes, { recursive: true });
  await mkdir(app, { recursive: true });
  // Same commands as the build stage: javac --release 17, then a jar whose manifest names App.
  await run('javac', ['--release', '17', '-nowarn', '-d', classes, join(projectDir, 'src', 'App.java')]);
  await run('jar', ['--create', '--file', join(app, 'app.jar'), '--main-class', 'App', '-C', classes, '.']);
  return { binds: [{ source: app, target: '/app' }], env: {}, pathPrepend: [] };
};
