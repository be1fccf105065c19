import { constants } from 'node:os';
import type { Pid1Exit } from './report.ts';

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

/** What a container-style exit status means when only the number is known (as docker reports it). */
export function exitStatusMeaning(status: number): string {
  if (status === 0) return 'clean exit';
  if (status > 128 && status < 128 + 65) {
    const name = signalName(status - 128) ?? `signal ${status - 128}`;
    return `128+${status - 128}: killed by ${name}, or exited with the status that stands for it`;
  }
  return `exited with status ${status}`;
}

/** PID 1's exit as the kernel reported it: a real exit code, or death by a signal. */
export function pid1ExitOf(code: number | null, signal: number | null, note?: string): Pid1Exit {
  if (signal !== null) {
    const name = signalName(signal) ?? `signal ${signal}`;
    const why = signal === 9 ? ' (from outside: the grace period ran out, or the OOM killer)' : '';
    return { status: 128 + signal, code: null, signal: name, meaning: note ?? `killed by ${name}${why}` };
  }
  if (code === null) return { status: null, code: null, signal: null, meaning: note ?? 'PID 1 exit not observed' };
  let meaning = code === 0 ? 'clean exit' : `exited with status ${code}`;
  if (code > 128 && code < 128 + 65) {
    const name = signalName(code - 128) ?? `signal ${code - 128}`;
    meaning = `exited ${code}, the status that stands for ${name} (128+${code - 128}): a runtime's convention or an init passing on its child's death`;
  }
  return { status: code, code, signal: null, meaning: note ?? meaning };
}
