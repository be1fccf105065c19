import type { ModelDescriptor } from '../types.ts';

export const wrapper = {
  id: 'wrapper',
  title: 'setup wrapper',
  summary: 'An entrypoint script does setup, drops privileges, then execs the app.',
  available: true,
  inits: ['tini', 'dumb-init'],
  // jvm and tomcat need their host stagers to bind the entrypoint next to the jar / in CATALINA_HOME first.
  runtimes: ['node', 'python', 'bash'],
  plan: (runtime, { init }) => ({
    entrypoint: ['bash', `${runtime.workdir}/entrypoint.sh`],
    cmd: [...runtime.appArgv],
    files: [{ source: 'models/wrapper/entrypoint.sh.ejs', destination: 'entrypoint.sh' }],
    partial: 'model-wrapper',
    env: { APP_UID: String(runtime.user.uid) },
    dropsPrivileges: true,
    exitTable: [
      { situation: `graceful stop after ${runtime.stopSignal}`, status: `${runtime.exitStatus.graceful} (the app's own: it is the init's child)` },
      { situation: "the app's cleanup hook failed", status: String(runtime.exitStatus.cleanupFailed) },
      { situation: 'WAIT_FOR dependency not reachable within WAIT_TIMEOUT', status: '69 (EX_UNAVAILABLE)' },
      { situation: 'bad configuration (DRAIN_SECONDS, PORT, WAIT_TIMEOUT)', status: '78 (EX_CONFIG)' },
      { situation: 'cannot prepare a writable directory or write the config', status: '73 (EX_CANTCREAT)' },
      { situation: 'cannot drop privileges (setpriv missing)', status: '77 (EX_NOPERM)' },
      { situation: 'stop signal S during setup', status: '128 + S, at once; the app never starts' },
      { situation: 'a second stop signal S during the drain', status: '128 + S, at once' },
    ],
    why: {
      entrypoint: `Exec form: ${init} is PID 1; entrypoint.sh sets up, drops to uid ${runtime.user.uid} with setpriv and execs the app.`,
      cmd: `The app, exec'd by entrypoint.sh so that it is ${init}'s child; exits ${runtime.exitStatus.graceful} after a graceful stop.`,
    },
  }),
} as const satisfies ModelDescriptor;
