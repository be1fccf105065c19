// The image as the rules see it: the Dockerfile facts, the resolved PID-1 chain and the
// effective stop signal.
import type { BuildContext } from './context.ts';
import { readDockerfile, type DockerfileModel, type Positioned } from './dockerfile.ts';
import { pid1Node, resolveChain, type Chain, type ChainNode } from './chain.ts';
import type { SourceFile } from './types.ts';

export interface StopSignal {
  /** Canonical name, e.g. SIGTERM. */
  readonly name: string;
  /** The final stage's own STOPSIGNAL instruction, if any. */
  readonly declared: Positioned | null;
  readonly source: 'dockerfile' | 'base-image' | 'default';
}

export interface ImageModel {
  readonly dockerfile: DockerfileModel;
  readonly ctx: BuildContext;
  readonly chain: Chain;
  /** What is PID 1 once every exec has happened. */
  readonly pid1: ChainNode | null;
  readonly stopSignal: StopSignal;
  /** Lower-cased text of every RUN in the final stage's chain, for "is X installed" questions. */
  readonly runText: string;
}

const NUMBERED: Record<string, string> = { '1': 'SIGHUP', '2': 'SIGINT', '3': 'SIGQUIT', '9': 'SIGKILL', '10': 'SIGUSR1', '12': 'SIGUSR2', '15': 'SIGTERM', '28': 'SIGWINCH' };

export function canonicalSignal(s: string): string {
  const t = s.trim().toUpperCase();
  if (NUMBERED[t]) return NUMBERED[t];
  return t.startsWith('SIG') ? t : `SIG${t}`;
}

/** Stop signals that official base images declare, by image name. */
const BASE_STOPSIGNALS: readonly (readonly [RegExp, string])[] = [
  [/^(docker\.io\/)?(library\/)?nginx(:|$)/, 'SIGQUIT'],
  [/^(docker\.io\/)?(library\/)?php:[^@]*fpm/, 'SIGQUIT'],
  [/^(docker\.io\/)?(library\/)?httpd(:|$)/, 'SIGWINCH'],
];

export function buildModel(dockerfile: SourceFile, ctx: BuildContext): ImageModel {
  const model = readDockerfile(dockerfile);
  const chain = resolveChain(model, ctx);
  const state = model.final.state;
  const fromBase = BASE_STOPSIGNALS.find(([re]) => re.test(model.final.baseImage));
  const stopSignal: StopSignal = state.stopSignal
    ? { name: canonicalSignal(state.stopSignal.value), declared: state.stopSignal, source: 'dockerfile' }
    : fromBase
      ? { name: fromBase[1], declared: null, source: 'base-image' }
      : { name: 'SIGTERM', declared: null, source: 'default' };
  return {
    dockerfile: model, ctx, chain, pid1: pid1Node(chain), stopSignal,
    runText: state.runs.map((r) => r.value).join('\n').toLowerCase(),
  };
}
