// The model flags are validated before anything is written; each error names the flag and what is allowed.
import { describe, expect, it } from 'vitest';
import { InputError, validateAnswers } from '../../lib/answers.ts';

const base = { name: 'demo', runtime: 'node', init: 'tini' };

describe('model flags', () => {
  it('--supervisor defaults to the generated supervisor for the multi model', () => {
    expect(validateAnswers({ ...base, model: 'multi' }).supervisor).toBe('graceful');
  });

  it('--supervisor supervisord is kept', () => {
    expect(validateAnswers({ ...base, model: 'multi', supervisor: 'supervisord' }).supervisor).toBe('supervisord');
  });

  it('an unknown --supervisor names the allowed values', () => {
    expect(() => validateAnswers({ ...base, model: 'multi', supervisor: 's6' })).toThrow(
      new InputError("--supervisor: unknown value 's6'; allowed with --model multi: graceful, supervisord"),
    );
  });

  it('--supervisor with a model that has none is refused', () => {
    expect(() => validateAnswers({ ...base, model: 'single', supervisor: 'supervisord' })).toThrow(/^--supervisor: only for --model multi; leave it out with --model single$/);
  });

  it('an init a model does not support names the ones it does', () => {
    expect(() => validateAnswers({ ...base, model: 'multi', init: 'dumb-init' })).toThrow(
      "--init: 'dumb-init' is not supported with --runtime node --model multi; allowed inits: tini",
    );
  });

  it('a model a runtime does not support blames --model and names the runtime\'s models', () => {
    expect(() => validateAnswers({ ...base, model: 'wrapper', runtime: 'jvm', port: 8080 })).toThrow(
      "--model: 'wrapper' is not available for --runtime jvm; models for jvm: single",
    );
  });
});
