import type { ModelDescriptor } from '../types.ts';

export const single = {
  id: 'single',
  title: 'single process',
  summary: 'One long-running process, started directly by the init (or as PID 1 itself).',
  available: true,
  inits: ['tini', 'dumb-init', 'none'],
  runtimes: ['node', 'python', 'jvm', 'tomcat', 'bash'],
} as const satisfies ModelDescriptor;
