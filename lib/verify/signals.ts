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

const STATUS_NOTES: Record<number, string> = {
  137: ' (the stopper\'s SIGKILL after the grace period, or the OOM killer)',
  143: ' (or the runtime\'s conventional exit after handling SIGTERM, as the JVM does)',
};

/** What a container-style exit status means: 128+N is "killed by signal N" by convention. */
export function exitStatusMeaning(status: number): string {
  if (status === 0) return 'clean exit';
  if (status > 128 && status < 128 + 65) {
    const name = signalName(status - 128) ?? `signal ${status - 128}`;
    return `128+${status - 128}: killed by ${name}${STATUS_NOTES[status] ?? ''}`;
  }
  return `exited with status ${status}`;
}

export function pid1ExitOf(code: number | null, signal: number | null, note?: string): Pid1Exit {
  if (signal !== null) {
    const status = 128 + signal;
    return { status, code: null, signal: signalName(signal), meaning: note ?? exitStatusMeaning(status) };
  }
  if (code !== null) return { status: code, code, signal: null, meaning: note ?? exitStatusMeaning(code) };
  return { status: null, code: null, signal: null, meaning: note ?? 'PID 1 exit not observed' };
}
