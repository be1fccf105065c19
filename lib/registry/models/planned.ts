import type { ModelDescriptor } from '../types.ts';

// Registered so flags, help and docs already know them; the generator refuses them until they ship.
export const wrapper = {
  id: 'wrapper',
  title: 'setup wrapper',
  summary: 'An entrypoint script does setup, drops privileges, then execs the app.',
  available: false,
  inits: ['tini', 'dumb-init'],
  runtimes: ['node', 'python', 'jvm', 'tomcat', 'bash'],
} as const satisfies ModelDescriptor;

export const multi = {
  id: 'multi',
  title: 'several services',
  summary: 'Several long-running services in one container under a supervisor that waits for all.',
  available: false,
  inits: ['tini'],
  runtimes: ['node', 'python', 'bash'],
} as const satisfies ModelDescriptor;

export const workers = {
  id: 'workers',
  title: 'forking server',
  summary: 'A master that forks workers; the stop reaches all, the master exits last.',
  available: false,
  inits: ['tini', 'dumb-init', 'none'],
  runtimes: ['node', 'python', 'bash'],
} as const satisfies ModelDescriptor;
