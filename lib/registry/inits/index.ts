import type { InitDescriptor, InitId } from '../types.ts';
import { dumbInit } from './dumb-init.ts';
import { none } from './none.ts';
import { tini } from './tini.ts';

export const inits: Record<InitId, InitDescriptor> = { tini, 'dumb-init': dumbInit, none };
