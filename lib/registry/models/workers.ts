import type { ModelDescriptor } from '../types.ts';

export const workers = {
  id: 'workers',
  title: 'forking server',
  summary: 'A master that forks workers; the stop reaches all, the master exits last.',
  available: false,
  inits: ['tini', 'dumb-init', 'none'],
  runtimes: ['node', 'python', 'bash'],
} as const satisfies ModelDescriptor;
