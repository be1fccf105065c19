import type { RuntimeDescriptor } from '../types.ts';

export const node = {
  id: 'node',
  title: 'Node.js',
  summary: 'HTTP service on node:http with a SIGTERM handler that drains and exits 0.',
  images: { run: 'node:22-bookworm-slim' },
  appPartial: 'node-app',
  files: [
    { source: 'node/server.js.ejs', destination: 'server.js' },
    { source: 'node/package.json.ejs', destination: 'package.json' },
  ],
  workdir: '/app',
  user: { name: 'node', uid: 1000, create: false },
  appArgv: ['node', 'server.js'],
  http: true,
  defaultPort: 3000,
  healthcheck: [
    'node',
    '-e',
    "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))",
  ],
  stopSignal: 'SIGTERM',
  exitStatus: {
    graceful: 0,
    cleanupFailed: 1,
    forcedIsSignalPlus128: true,
    why: 'a handler replaces Node’s default 128+signal exit, so a completed drain exits 0',
  },
  env: { NODE_ENV: 'production' },
} as const satisfies RuntimeDescriptor;
