import type { ModelDescriptor, ModelId } from '../types.ts';
import { multi } from './multi.ts';
import { single } from './single.ts';
import { workers } from './workers.ts';
import { wrapper } from './wrapper.ts';

export const models: Record<ModelId, ModelDescriptor> = { single, wrapper, multi, workers };
