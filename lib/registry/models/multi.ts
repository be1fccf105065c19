import type { ModelDescriptor, RuntimeDescriptor, SupervisorId } from '../types.ts';

export interface SupervisorDescriptor {
  id: SupervisorId;
  title: string;
  summary: string;
}

/** Who supervises the services under tini; `graceful` (the generated supervise.sh) is the default. */
export const supervisors: Record<SupervisorId, SupervisorDescriptor> = {
  graceful: {
    id: 'graceful',
    title: 'supervise.sh',
    summary: 'Generated bash supervisor: stops every process, orphans in other sessions too, waits for all, fails fast.',
  },
  supervisord: {
    id: 'supervisord',
    title: 'supervisord',
    summary: 'supervisord runs the programs (restarts, supervisorctl) inside supervise.sh, which keeps the guarantees.',
  },
};

/** The services of the generated example: the runtime's own service plus a bash sidecar with a detached agent. */
function services(runtime: RuntimeDescriptor): string[][] {
  return [[...runtime.appArgv], ['bash', `${runtime.workdir}/sidecar.sh`]];
}

export const multi = {
  id: 'multi',
  title: 'several services',
  summary: 'Several long-running services in one container under a supervisor that waits for all.',
  available: true,
  inits: ['tini'],
  runtimes: ['node', 'python', 'bash'],
  supervisors: ['graceful', 'supervisord'],
  plan: (runtime, { supervisor = 'graceful' }) => {
    const supervise = ['bash', `${runtime.workdir}/supervise.sh`];
    const exitTable = [
      { situation: 'graceful stop after SIGTERM or SIGINT, every service exited 0', status: '0' },
      { situation: 'a service exited N ≠ 0 during the stop (its cleanup failed)', status: 'N (the first such service)' },
      { situation: 'a service ended on its own with N ≠ 0 (the others are stopped gracefully)', status: 'N' },
      { situation: 'a service ended on its own with 0', status: '1 (it must not end: the orchestrator should restart)' },
      { situation: 'a service was killed by signal S', status: '128 + S' },
      { situation: 'a second stop signal S during the stop', status: '128 + S, at once' },
      { situation: `drain budget + CLEANUP_SECONDS spent: the supervisor SIGKILLed what was left`, status: '1' },
      { situation: 'SIGHUP, SIGUSR1, SIGUSR2', status: 'passed to every service; a service they kill counts as ended on its own (128 + S)' },
    ];
    if (supervisor === 'supervisord') {
      return {
        cmd: [...supervise, 'supervisord', '--nodaemon', '--configuration', `${runtime.workdir}/supervisord.conf`],
        files: [
          { source: 'models/multi/supervise.sh.ejs', destination: 'supervise.sh' },
          { source: 'models/multi/sidecar.sh.ejs', destination: 'sidecar.sh' },
          { source: 'models/multi/supervisord.conf.ejs', destination: 'supervisord.conf' },
          { source: 'models/multi/supervisord-failfast.sh.ejs', destination: 'supervisord-failfast.sh' },
        ],
        partial: 'model-multi-supervisord',
        env: { SUPERVISOR_RUN_DIR: '/tmp', SUPERVISOR_LOG: '/dev/stdout' },
        exitTable,
        why: {
          entrypoint: 'Exec form: tini is PID 1 (reaps orphans, forwards signals) and starts supervise.sh, which starts supervisord.',
          cmd: 'supervise.sh outlives supervisord: it stops orphans supervisord does not know and exits last; exits 0 after a graceful stop.',
        },
      };
    }
    return {
      cmd: [...supervise, ...services(runtime).flatMap((argv, i) => (i === 0 ? argv : ['::', ...argv]))],
      files: [
        { source: 'models/multi/supervise.sh.ejs', destination: 'supervise.sh' },
        { source: 'models/multi/sidecar.sh.ejs', destination: 'sidecar.sh' },
      ],
      partial: 'model-multi',
      exitTable,
      why: {
        entrypoint: 'Exec form: tini is PID 1 (reaps orphans, forwards signals) and starts the supervisor, no shell in between.',
        cmd: 'The supervisor and its services, separated by `::`; it stops them all, waits for every process and exits 0 after a graceful stop.',
      },
    };
  },
} as const satisfies ModelDescriptor;
