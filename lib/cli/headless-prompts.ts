import { InputError } from '../answers.ts';

type Question = { name: string; message?: unknown; default?: unknown };

/**
 * Prompt module for runs without a terminal: inquirer would hang on an open pipe forever.
 * A question with a default takes it; anything else (a file conflict) is an error that says what to pass.
 */
export async function headlessPrompt(questions: Question | Question[], initial: Record<string, unknown> = {}) {
  const answers: Record<string, unknown> = { ...initial };
  for (const q of Array.isArray(questions) ? questions : [questions]) {
    if (answers[q.name] !== undefined) continue;
    if (q.name === 'action') {
      throw new InputError(
        `${String(q.message ?? 'a file would change')}: no terminal to ask; re-run with --force to overwrite, --bail to stop, or --dry-run to see the diff`,
      );
    }
    if (q.default === undefined) {
      throw new InputError(`no terminal to ask '${String(q.message ?? q.name)}'; pass --${q.name} <value> or --yes`);
    }
    answers[q.name] = typeof q.default === 'function' ? q.default(answers) : q.default;
  }
  return answers;
}
