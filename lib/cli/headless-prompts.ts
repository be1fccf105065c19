import { InputError } from '../answers.ts';

type Question = { name: string; message?: unknown };

/**
 * Prompt module for runs without a terminal, where inquirer would hang on an open pipe forever.
 * Nothing is guessed: each question becomes an error that says which flag answers it.
 */
export async function headlessPrompt(questions: Question | Question[], initial: Record<string, unknown> = {}) {
  for (const q of Array.isArray(questions) ? questions : [questions]) {
    if (initial[q.name] !== undefined) continue;
    if (q.name === 'action') {
      throw new InputError(
        `${String(q.message ?? 'a file would change')}: no terminal to ask; re-run with --force to overwrite, --bail to stop, or --dry-run to see the diff`,
      );
    }
    throw new InputError(`no terminal to ask '${String(q.message ?? q.name)}'; pass --${q.name} <value>, or --yes for defaults`);
  }
  return initial;
}
