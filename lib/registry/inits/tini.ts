import type { InitDescriptor } from '../types.ts';

export const tini = {
  id: 'tini',
  title: 'tini',
  summary: 'Tiny init: forwards every signal to the app and reaps zombies; the default.',
  aptPackage: 'tini',
  argvPrefix: ['/usr/bin/tini', '--'],
  why: 'tini is PID 1 so the kernel never drops the stop signal; it forwards it to the app and reaps orphans.',
} as const satisfies InitDescriptor;
