import type { InitDescriptor } from '../types.ts';

export const none = {
  id: 'none',
  title: 'none',
  summary: 'The app itself is PID 1: safe only when it handles the stop signal and starts no children.',
  argvPrefix: [],
  why: 'the app is PID 1 and installs its own handler for the stop signal, so the kernel delivers it.',
} as const satisfies InitDescriptor;
