import { finding, type MigrateRule } from './util.ts';
import type { Problem } from '../chain.ts';
import type { ImageModel } from '../model.ts';

function problemRule(id: string, name: Problem['kind'], title: string, why: string, fix: string, severity: MigrateRule['severity'] = 'warning'): MigrateRule {
  return {
    id, name, severity, title, why, fix,
    detect(m: ImageModel) {
      return m.chain.problems.filter((p) => p.kind === name).map((p) => finding(this, p.location, p.message, { manual: fix }));
    },
  };
}

export const scriptNotFound = problemRule('PID1901', 'script-not-found', 'Script not found in the build context',
  'A script that PID 1 runs is not copied from the build context, so what it does on stop cannot be checked.',
  'Check the path, or copy the script into the image from the build context.');

export const scriptParseError = problemRule('PID1902', 'script-parse-error', 'Shell code that cannot be parsed',
  'The shell code on the PID-1 path could not be parsed, so its handling of the stop signal cannot be checked.',
  'Fix the syntax error (run `sh -n` or shellcheck on it).');

export const chainTooDeep = problemRule('PID1903', 'chain-too-deep', 'Process chain too deep to follow',
  'The chain of scripts and wrappers in front of the app is longer than migrate follows; the rest is unchecked.',
  'Simplify the chain: fewer wrapper scripts, each ending in `exec`.');

export const scriptNotInContext = problemRule('PID1904', 'script-not-in-context', 'Script comes from the base image',
  'A script that PID 1 runs is not in the build context (it probably comes from the base image), so its signal handling was not checked.',
  'Make sure it ends in `exec "$@"` or `exec <server>`; official images\' entrypoints do.', 'note');
