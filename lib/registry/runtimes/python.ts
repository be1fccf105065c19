import type { RuntimeDescriptor } from '../types.ts';

export const python = {
  id: 'python',
  title: 'Python',
  summary: 'Threaded http.server service with a signal.signal handler that drains and exits 0.',
  images: { run: 'python:3.12-slim-bookworm' },
  appPartial: 'python-app',
  files: [{ source: 'python/app.py.ejs', destination: 'app.py' }],
  workdir: '/app',
  user: { name: 'app', uid: 10001, create: true },
  appArgv: ['python3', 'app.py'],
  http: true,
  defaultPort: 8000,
  healthcheck: [
    'python3',
    '-c',
    "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['PORT'], timeout=2)",
  ],
  stopSignal: 'SIGTERM',
  exitStatus: {
    graceful: 0,
    cleanupFailed: 1,
    forcedIsSignalPlus128: true,
    why: 'the handler turns SIGTERM into an orderly shutdown, so a completed drain exits 0',
  },
  env: { PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
} as const satisfies RuntimeDescriptor;
