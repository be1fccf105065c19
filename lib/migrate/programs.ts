// What migrate knows about programs by name: shells, inits, wrappers, launchers, supervisors,
// and where each of them keeps the argv of the program it runs.
import { posix } from 'node:path';

export const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'busybox']);
export const INITS = new Set(['tini', 'tini-static', 'dumb-init', 'catatonit', 'docker-init', 'pid1', 'runsvdir', 's6-svscan']);
export const EXEC_WRAPPERS = new Set(['gosu', 'su-exec', 'setpriv', 'chpst', 'env', 'nice', 'ionice', 'numactl', 'taskset', 'setsid', 'chroot', 'stdbuf', 'exec']);
export const PRIV_NAMES = new Set(['su', 'sudo', 'runuser']);
export const LAUNCHERS = new Set(['npm', 'yarn', 'pnpm', 'npx', 'bun']);
export const SUPERVISORS = new Set(['supervisord', 'supervisor', 's6-svscan', 'runsvdir', 'pm2', 'pm2-runtime', 'honcho', 'foreman', 'overmind', 'circusd']);
/** Scripts of official base images known to end in `exec` of their main process. */
/** Official images' entrypoints that end in `exec "$@"`: they hand PID 1 to their arguments. */
export const BASE_IMAGE_ENTRYPOINTS = new Set(['docker-entrypoint.sh', 'docker-php-entrypoint']);
export const BASE_IMAGE_EXECS = new Set(['catalina.sh', 'docker-entrypoint.sh', 'docker-php-entrypoint', 'httpd-foreground', 'apache2-foreground', 'docker-ensure-initdb.sh']);

export const base = (p: string): string => posix.basename(p);

/** Strips an init's own options; returns the index where the child argv starts. */
export function initChildIndex(argv: string[]): number {
  let i = 1;
  while (i < argv.length) {
    const a = argv[i]!;
    if (a === '--') return i + 1;
    if (!a.startsWith('-')) return i;
    // Options taking a value.
    if (['-s', '-e', '-p', '-l', '-r', '--rewrite'].includes(a) && base(argv[0]!).startsWith('tini')) i++;
    if (['-r', '--rewrite'].includes(a) && base(argv[0]!) === 'dumb-init') i++;
    i++;
  }
  return i;
}

export function wrapperChildIndex(argv: string[]): number {
  const name = base(argv[0]!);
  let i = 1;
  if (name === 'gosu' || name === 'su-exec') return 2;
  if (name === 'chpst' || name === 'setpriv' || name === 'nice' || name === 'ionice' || name === 'numactl' || name === 'taskset' || name === 'stdbuf' || name === 'setsid' || name === 'exec') {
    while (i < argv.length && argv[i]!.startsWith('-')) {
      const a = argv[i]!;
      if (a === '--') return i + 1;
      if (/^-[nuU]$/.test(a) || (name === 'chpst' && /^-[a-zA-Z]$/.test(a) && !a.includes('='))) i++;
      i++;
    }
    return i;
  }
  if (name === 'chroot') return 2;
  if (name === 'env') {
    while (i < argv.length && (argv[i]!.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]!))) {
      if (argv[i] === '--') return i + 1;
      i++;
    }
  }
  return i;
}

export function interpreterEntry(argv: string[]): string | null {
  const name = base(argv[0]!);
  if (/^(node|nodejs|bun|deno)$/.test(name) || /^python[0-9.]*$/.test(name)) {
    for (let i = 1; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '-m' || a === '-c' || a === '-e' || a === '--eval' || a === '-p') return null;
      if (a === '-r' || a === '--require' || a === '--import' || a === '-W' || a === '-X') { i++; continue; }
      if (a === 'run' && /^(bun|deno)$/.test(name)) continue;
      if (!a.startsWith('-')) return a;
    }
  }
  return null;
}
