import { finding, commandLocation, topLevel, stopTraps, type MigrateRule } from './util.ts';
import { fromContext } from '../chain.ts';
import type { Command } from '../shell.ts';
import type { ImageModel } from '../model.ts';

const FLAGS = /^(--detach|--daemon|--daemonize(=yes)?|-daemon|--background|--fork)$/;

function daemonizes(m: ImageModel, c: Command): string | null {
  const argv = c.words.map((w) => w.value);
  const flag = argv.find((a) => FLAGS.test(a));
  if (flag) return `\`${flag}\``;
  if (argv[0] === 'service' && argv[2] === 'start') return '`service … start`';
  if (/^\/etc\/init\.d\//.test(argv[0] ?? '') && argv[1] === 'start') return 'an init.d script';
  if (/^(apachectl|apache2ctl|nginx)$/.test(argv[0] ?? '') && (argv.includes('start') || (argv[0] === 'nginx' && !argv.join(' ').includes('daemon off')))) return `\`${argv[0]}\` without foreground mode`;
  if (argv.includes('daemonize') && argv.includes('yes')) return '`--daemonize yes`';
  const entry = /^python[0-9.]*$/.test(argv[0] ?? '') ? argv.slice(1).find((a) => a.endsWith('.py')) : undefined;
  const file = entry ? fromContext({ stage: m.dockerfile.final, ctx: m.ctx }, entry) : null;
  if (file && /os\.fork\(\)/.test(file.text) && /os\.setsid\(\)/.test(file.text)) return `${file.path} (double fork + setsid)`;
  return null;
}

export const daemonizedChild = {
  id: 'PID1007',
  name: 'daemonized-child',
  severity: 'warning',
  title: 'A service daemonizes itself',
  why: 'A daemonized service leaves its parent and is re-parented to PID 1 in another session; nothing holds its PID or forwards the stop signal, so it is SIGKILLed when the container stops.',
  fix: 'Run the service in the foreground (as the exec\'d main process or under a process manager that is PID 1).',
  detect(m) {
    return m.chain.nodes.flatMap((n) => {
      const s = n.script;
      if (n.kind !== 'shell' || !s?.parsed) return [];
      // A stop trap the shell can reach (it blocks in `wait`) is what stops a daemon via its pidfile.
      if (stopTraps(s).length > 0 && s.final?.words[0]?.value === 'wait') return [];
      return topLevel(s).flatMap((c) => {
        const how = c.kind === 'simple' ? daemonizes(m, c) : null;
        return how ? [finding(this, commandLocation(s, c), `\`${c.words[0]?.value}\` daemonizes (${how}); PID 1 neither knows nor signals it`, {
          manual: 'Run it in the foreground: as the last command with `exec`, or as a program of a process manager that is PID 1.',
        })] : [];
      });
    });
  },
} satisfies MigrateRule;
