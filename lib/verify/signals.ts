import { constants } from 'node:os';

const byName = constants.signals as Record<string, number>;

/** Accepts "SIGTERM", "TERM", "term" or "15"; returns the canonical "SIGTERM", or null. */
export function normalizeSignal(input: string): string | null {
  const trimmed = input.trim().toUpperCase();
  if (/^\d+$/.test(trimmed)) return signalName(Number(trimmed));
  const name = trimmed.startsWith('SIG') ? trimmed : `SIG${trimmed}`;
  return name in byName ? name : null;
}

export function signalNumber(name: string): number {
  const number = byName[name];
  if (number === undefined) throw new Error(`unknown signal ${name}`);
  return number;
}

export function signalName(number: number): string | null {
  for (const [name, value] of Object.entries(byName)) {
    if (value === number && name !== 'SIGIOT' && name !== 'SIGPOLL') return name;
  }
  return null;
}

/** What a container-style exit status means: 128+N is "killed by signal N" by convention. */
export function exitStatusMeaning(status: number): string {
  if (status === 0) return 'clean exit';
  if (status > 128 && status < 128 + 65) {
    const name = signalName(status - 128) ?? `signal ${status - 128}`;
    const cause = status === 137 ? ' (the stopper\'s SIGKILL: the grace period ran out, or OOM)' : '';
    return `128+${status - 128}: killed by ${name}, or exited with the status that mimics it${cause}`;
  }
  return `exited with status ${status}`;
}
