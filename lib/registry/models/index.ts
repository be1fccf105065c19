import type { ModelDescriptor, ModelId } from '../types.ts';
import { multi, workers, wrapper } from './planned.ts';
import { single } from './single.ts';

export const models: Record<ModelId, ModelDescriptor> = { single, wrapper, multi, workers };
