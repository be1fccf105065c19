import type { ModelDescriptor } from '../types.ts';

export const wrapper = {
  id: 'wrapper',
  title: 'setup wrapper',
  summary: 'An entrypoint script does setup, drops privileges, then execs the app.',
  available: false,
  inits: ['tini', 'dumb-init'],
  runtimes: ['node', 'python', 'jvm', 'tomcat', 'bash'],
} as const satisfies ModelDescriptor;
