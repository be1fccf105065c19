import type { RuntimeDescriptor } from '../types.ts';
import { curlHealthcheck } from './curl-healthcheck.ts';

export const jvm = {
  id: 'jvm',
  title: 'JVM (plain jar)',
  summary: 'com.sun.net.httpserver service; a shutdown hook drains and the JVM exits 143.',
  images: { build: 'eclipse-temurin:21-jdk', run: 'eclipse-temurin:21-jre' },
  buildPartial: 'jvm-build',
  appPartial: 'jvm-app',
  files: [{ source: 'jvm/App.java.ejs', destination: 'src/App.java' }],
  workdir: '/app',
  user: { name: 'app', uid: 10001, create: true },
  appArgv: ['java', '-XX:MaxRAMPercentage=75', '-jar', '/app/app.jar'],
  http: true,
  defaultPort: 8080,
  healthcheck: curlHealthcheck,
  stopSignal: 'SIGTERM',
  exitStatus: {
    graceful: 143,
    cleanupFailed: 1,
    forcedIsSignalPlus128: true,
    why: 'the JVM exits 128+signal after its shutdown hooks; the convention is kept so JVM tooling reads it as usual',
  },
} as const satisfies RuntimeDescriptor;
