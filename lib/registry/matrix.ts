import { inits } from './inits/index.ts';
import { models } from './models/index.ts';
import { runtimes } from './runtimes/index.ts';
import type { InitId, ModelId, RuntimeId } from './types.ts';

export interface Combination {
  id: string;
  runtime: RuntimeId;
  model: ModelId;
  init: InitId;
}

/** Every combination the generator supports; generator tests, signal tests and docs iterate this. */
export function allCombinations(): Combination[] {
  const out: Combination[] = [];
  for (const model of Object.values(models)) {
    if (!model.available) continue;
    for (const runtime of model.runtimes) {
      for (const init of model.inits) {
        out.push({ id: `${runtime}-${model.id}-${init}`, runtime, model: model.id, init });
      }
    }
  }
  return out;
}

export function isSupported(runtime: RuntimeId, model: ModelId, init: InitId): boolean {
  const m = models[model];
  return m.available && m.runtimes.includes(runtime) && m.inits.includes(init);
}

export { inits, models, runtimes };
