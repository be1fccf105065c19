import type { RuntimeDescriptor } from '../types.ts';
import { curlHealthcheck } from './curl-healthcheck.ts';

export const tomcat = {
  id: 'tomcat',
  title: 'Tomcat (WAR)',
  summary: 'Servlet WAR on Tomcat 10.1; `catalina.sh run` execs the JVM, which drains and exits 143.',
  images: { build: 'eclipse-temurin:21-jdk', run: 'tomcat:10.1-jre21' },
  buildPartial: 'tomcat-build',
  appPartial: 'tomcat-app',
  files: [
    { source: 'tomcat/src/app/GracefulShutdown.java.ejs', destination: 'src/app/GracefulShutdown.java' },
    { source: 'tomcat/src/app/HelloServlet.java.ejs', destination: 'src/app/HelloServlet.java' },
    { source: 'tomcat/src/app/HealthServlet.java.ejs', destination: 'src/app/HealthServlet.java' },
    { source: 'tomcat/src/app/SlowServlet.java.ejs', destination: 'src/app/SlowServlet.java' },
    { source: 'tomcat/webapp/WEB-INF/web.xml.ejs', destination: 'webapp/WEB-INF/web.xml' },
    { source: 'tomcat/webapp/META-INF/context.xml.ejs', destination: 'webapp/META-INF/context.xml' },
    { source: 'tomcat/conf/server.xml.ejs', destination: 'conf/server.xml' },
    { source: 'tomcat/bin/setenv.sh.ejs', destination: 'bin/setenv.sh' },
  ],
  workdir: '/usr/local/tomcat',
  user: { name: 'tomcat', uid: 10001, create: true },
  appArgv: ['catalina.sh', 'run'],
  http: true,
  defaultPort: 8080,
  healthcheck: curlHealthcheck,
  stopSignal: 'SIGTERM',
  exitStatus: {
    graceful: 143,
    cleanupFailed: 1,
    forcedIsSignalPlus128: true,
    why: 'Tomcat’s JVM exits 128+signal after its shutdown hook; the official images keep it and so do we',
  },
} as const satisfies RuntimeDescriptor;
