import type { RuntimeDescriptor } from '../types.ts';

export const bash = {
  id: 'bash',
  title: 'bash worker',
  summary: 'Port-less worker loop: each job runs as `cmd & wait $!` so the TERM trap fires at once.',
  images: { run: 'debian:bookworm-slim' },
  appPartial: 'bash-app',
  files: [{ source: 'bash/worker.sh.ejs', destination: 'worker.sh' }],
  workdir: '/app',
  user: { name: 'worker', uid: 10001, create: true },
  appArgv: ['bash', '/app/worker.sh'],
  http: false,
  stopSignal: 'SIGTERM',
  exitStatus: {
    graceful: 0,
    cleanupFailed: 1,
    forcedIsSignalPlus128: true,
    why: 'the trap finishes the current job and exits 0 on purpose',
  },
} as const satisfies RuntimeDescriptor;
