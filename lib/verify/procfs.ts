import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export interface ProcessInfo {
  /** Host pid. */
  pid: number;
  /** Pid as seen inside the process's own (innermost) pid namespace. */
  nsPid: number | null;
  ppid: number;
  pgid: number;
  sid: number;
  state: string;
  /** Inside do_exit (PF_EXITING) but not yet a zombie. */
  exiting: boolean;
  comm: string;
  argv: string[];
  /** Resident memory (VmRSS); null for zombies and kernel threads. */
  rssKb: number | null;
}

const PF_EXITING = 0x4;

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

interface Stat {
  comm: string;
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
  flags: number;
  /** Wait status once the process is a zombie (field 52), else 0. */
  exitStatus: number;
}

function readStat(pid: number): Stat | null {
  const text = readText(`/proc/${pid}/stat`);
  if (text === null) return null;
  // comm may itself contain spaces and parentheses: it runs to the last ')'.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  return {
    comm: text.slice(open + 1, close),
    state: fields[0] ?? '?',
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    sid: Number(fields[3]),
    flags: Number(fields[6]),
    exitStatus: Number(fields[49] ?? 0),
  };
}

export function readProcess(pid: number): ProcessInfo | null {
  const stat = readStat(pid);
  if (stat === null) return null;
  const cmdline = readText(`/proc/${pid}/cmdline`) ?? '';
  const status = readText(`/proc/${pid}/status`) ?? '';
  const nsPidLine = status.match(/^NSpid:\s*(.*)$/m);
  const rss = status.match(/^VmRSS:\s*(\d+) kB$/m)?.[1];
  const nsPids = nsPidLine?.[1]?.trim().split(/\s+/).map(Number) ?? [];
  return {
    pid,
    nsPid: nsPids.length > 0 ? (nsPids[nsPids.length - 1] ?? null) : null,
    ppid: stat.ppid,
    pgid: stat.pgid,
    sid: stat.sid,
    state: stat.state,
    exiting: (stat.flags & PF_EXITING) !== 0,
    comm: stat.comm,
    argv: cmdline === '' ? [] : cmdline.replace(/\0$/, '').split('\0'),
    rssKb: rss === undefined ? null : Number(rss),
  };
}

/** The wait(2) status of a zombie, or null while it runs or once it is reaped. */
export function zombieWaitStatus(pid: number): number | null {
  const stat = readStat(pid);
  return stat?.state === 'Z' ? stat.exitStatus : null;
}

export function isAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== null && stat.state !== 'Z' && stat.state !== 'X';
}

export function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

export function childrenOf(pid: number): number[] {
  return allPids().filter((candidate) => readStat(candidate)?.ppid === pid);
}

export function pidNamespaceOf(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return null;
  }
}

/** Every process whose pid namespace is `namespace` (as read from /proc/PID/ns/pid). */
export function processesInNamespace(namespace: string): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const pid of allPids()) {
    if (pidNamespaceOf(pid) !== namespace) continue;
    const info = readProcess(pid);
    if (info !== null) found.push(info);
  }
  return found.sort((a, b) => (a.nsPid ?? a.pid) - (b.nsPid ?? b.pid));
}
