import type { InitDescriptor } from '../types.ts';

export const dumbInit = {
  id: 'dumb-init',
  title: 'dumb-init',
  summary: "Yelp's init: forwards signals to the app's whole session and reaps zombies.",
  aptPackage: 'dumb-init',
  argvPrefix: ['/usr/bin/dumb-init', '--'],
  why: "dumb-init is PID 1 so the kernel never drops the stop signal; it forwards it to the app's session and reaps orphans.",
} as const satisfies InitDescriptor;
