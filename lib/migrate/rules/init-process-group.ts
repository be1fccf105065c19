import { finding, type MigrateRule } from './util.ts';

const MASTER_WORKER = /^(nginx|php-fpm[0-9.]*|gunicorn|uwsgi|httpd|apache2|postgres|puma|unicorn)$/;

export const initProcessGroup = {
  id: 'PID1019',
  name: 'init-signals-process-group',
  severity: 'warning',
  title: 'Init signals the whole process group of a master/worker server',
  why: 'dumb-init (default) and `tini -g` send the stop signal to every process in the group, so workers are hit directly and abort their requests instead of being drained by their master.',
  fix: 'Signal only the master: `dumb-init --single-child` or `tini` without `-g`.',
  detect(m) {
    return m.chain.nodes.flatMap((n, i) => {
      if (n.kind !== 'init') return [];
      const group = (n.name === 'dumb-init' && !n.argv.includes('--single-child') && !n.argv.includes('-c'))
        || (n.name.startsWith('tini') && n.argv.includes('-g'));
      const server = m.chain.nodes.slice(i + 1).find((x) => MASTER_WORKER.test(x.name));
      if (!group || !server) return [];
      return [finding(this, n.location, `${n.name} signals the process group of \`${server.name}\`, hitting its workers directly`, {
        manual: n.name === 'dumb-init' ? 'Add `--single-child` to dumb-init.' : 'Remove `-g` from tini.',
      })];
    });
  },
} satisfies MigrateRule;
