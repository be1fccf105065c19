// Host stager for the Tomcat runtime: performs templates/_partials/dockerfile/tomcat-build.ejs with
// the host JDK and builds a CATALINA_HOME laid out like the official image's /usr/local/tomcat from
// Debian's tomcat10 packages (bin and lib in /usr/share/tomcat10, conf in /etc/tomcat10).
import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Stager } from './types.ts';

const run = promisify(execFile);

const DEBIAN_HOME = '/usr/share/tomcat10';
const DEBIAN_CONF = '/etc/tomcat10';
/** Where the official image has CATALINA_HOME (= CATALINA_BASE); the Dockerfile's WORKDIR. */
const IMAGE_HOME = '/usr/local/tomcat';
/** The official conf/ files our image keeps; conf/server.xml is the generated one. */
const CONF_FILES = ['catalina.properties', 'context.xml', 'jaspic-providers.xml', 'logging.properties', 'tomcat-users.xml', 'web.xml'];

async function javaSources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.java')).map((e) => join(e.parentPath, e.name)).sort();
}

/** JAVA_HOME of the host's `java` (catalina.sh needs JAVA_HOME or JRE_HOME; the image sets JAVA_HOME). */
async function hostJavaHome(): Promise<string> {
  if (process.env.JAVA_HOME) return process.env.JAVA_HOME;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      return dirname(dirname(await realpath(join(dir, 'java'))));
    } catch {
      // not in this PATH entry
    }
  }
  throw new Error('no java on PATH: install a JDK 17 (openjdk-17-jdk-headless)');
}

export const stage: Stager = async (projectDir, scratch) => {
  // The build stage: compile against the servlet API only, then jar webapp/ + classes into ROOT.war.
  const war = join(scratch, 'war');
  const classes = join(war, 'WEB-INF', 'classes');
  await mkdir(classes, { recursive: true });
  const sources = await javaSources(join(projectDir, 'src'));
  await run('javac', ['--release', '17', '-nowarn', '-cp', join(DEBIAN_HOME, 'lib', 'servlet-api.jar'), '-d', classes, ...sources]);
  await cp(join(projectDir, 'webapp'), war, { recursive: true });

  const home = join(scratch, 'tomcat');
  for (const dir of ['bin', 'conf', 'webapps', 'logs', 'temp', 'work']) await mkdir(join(home, dir), { recursive: true });
  await run('jar', ['--create', '--file', join(home, 'webapps', 'ROOT.war'), '-C', war, '.']);

  // bin/: copies, not symlinks, because catalina.sh derives CATALINA_HOME from its own real path.
  await cp(join(DEBIAN_HOME, 'bin'), join(home, 'bin'), { recursive: true, dereference: true });
  await cp(join(projectDir, 'bin', 'setenv.sh'), join(home, 'bin', 'setenv.sh'));
  // lib/: read-only jars, used in place.
  await symlink(join(DEBIAN_HOME, 'lib'), join(home, 'lib'));
  // conf/: Debian's defaults with the official image's console formatter, plus the generated server.xml.
  // Read and written (not copied): Debian keeps them root:tomcat 0640, the staged copies are 0644.
  for (const file of CONF_FILES) {
    const text = await readFile(join(DEBIAN_CONF, file), 'utf8');
    await writeFile(join(home, 'conf', file), text.replace('org.apache.juli.SystemdFormatter', 'org.apache.juli.OneLineFormatter'));
  }
  await cp(join(projectDir, 'conf', 'server.xml'), join(home, 'conf', 'server.xml'));

  return {
    binds: [{ source: home, target: IMAGE_HOME }],
    env: { CATALINA_HOME: IMAGE_HOME, JAVA_HOME: await hostJavaHome() },
    pathPrepend: [join(IMAGE_HOME, 'bin')],
  };
};

