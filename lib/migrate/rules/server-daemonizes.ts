import { finding, type MigrateRule } from './util.ts';
import { appendArgs } from './server-flag-edit.ts';
import type { ChainNode } from '../chain.ts';
import type { ImageModel } from '../model.ts';

/** nginx runs in the foreground only with `daemon off;`, on the command line or in a copied config. */
function nginxDaemonizes(m: ImageModel, n: ChainNode): boolean {
  if (n.argv.join(' ').includes('daemon off')) return false;
  const configs = m.dockerfile.final.state.copies.filter((c) => c.dest.includes('nginx')).flatMap((c) => c.sources);
  return !configs.some((src) => /^\s*daemon\s+off\s*;/m.test(m.ctx.read(src) ?? ''));
}

export const serverDaemonizes = {
  id: 'PID1022',
  name: 'server-daemonizes',
  severity: 'error',
  title: 'The main server forks into the background',
  why: 'The program PID 1 runs forks its server into the background and exits, so the container stops at once or, behind a shell, the server is a stranger that never gets the stop signal.',
  fix: 'Run the server in the foreground: nginx `-g "daemon off;"`, php-fpm `-F`, httpd `-DFOREGROUND`, redis `--daemonize no`.',
  detect(m) {
    const n = m.chain.nodes.at(-1);
    if (!n || n.kind !== 'program') return [];
    const a = n.argv;
    if (/^(nginx|openresty)$/.test(n.name) && !a.includes('-s') && !a.includes('-t') && nginxDaemonizes(m, n)) {
      const e = appendArgs(m, n, ['-g', 'daemon off;']);
      return [finding(this, n.location, 'nginx starts as a daemon (no `daemon off;` on the command line or in a copied nginx.conf)', {
        edits: e ? [e] : null, manual: e ? undefined : 'Add `-g "daemon off;"` to the nginx command.',
      })];
    }
    const flag = /^php-fpm/.test(n.name) ? a.find((x) => x === '-D' || x === '--daemonize')
      : /^(redis-server|memcached)$/.test(n.name) ? a.find((x, i) => (x === '--daemonize' && a[i + 1] === 'yes') || x === '-d')
        : /^(httpd|apache2|apachectl|apache2ctl)$/.test(n.name) && a.includes('start') ? 'start' : undefined;
    if (!flag) return [];
    return [finding(this, n.location, `\`${n.name}\` is started with ${flag} and leaves the foreground`, {
      manual: 'Start it in foreground mode (php-fpm -F, httpd -DFOREGROUND, redis --daemonize no).',
    })];
  },
} satisfies MigrateRule;
