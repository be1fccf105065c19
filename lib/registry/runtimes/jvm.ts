import type { RuntimeDescriptor } from '../types.ts';

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
  // sh only expands $PORT (a run-time override must move the probe too); it is not PID 1, so no signal is at stake.
  healthcheck: () => ['sh', '-c', 'exec curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/healthz"'],
  stopSignal: 'SIGTERM',
  exitStatus: {
    graceful: 143,
    cleanupFailed: 1,
    forcedIsSignalPlus128: true,
    why: 'the JVM exits 128+signal after its shutdown hooks; the convention is kept so JVM tooling reads it as usual',
  },
} as const satisfies RuntimeDescriptor;
