import { finding, type MigrateRule } from './util.ts';
import { locate } from '../types.ts';

const LISTENER = `[eventlistener:fail-fast]
command=sh -c 'printf "READY\\n"; while read -r line; do kill -TERM $PPID; done'
events=PROCESS_STATE_FATAL,PROCESS_STATE_EXITED`;

export const supervisordFailFast = {
  id: 'PID1012',
  name: 'supervisor-no-fail-fast',
  severity: 'warning',
  title: 'supervisord keeps running when a service dies',
  why: 'supervisord as PID 1 restarts or gives up on a dead program but never exits, so the container keeps running without an essential service and the orchestrator never restarts it.',
  fix: 'Add an eventlistener that stops supervisord on PROCESS_STATE_FATAL/EXITED of an essential program.',
  detect(m) {
    return m.chain.nodes.flatMap((n) => {
      if (n.kind !== 'supervisor' || n.name !== 'supervisord' || !n.configs || n.configs.length === 0) return [];
      const all = n.configs.map((c) => c.text).join('\n');
      if (/^\s*\[eventlistener:/m.test(all) && /PROCESS_STATE_(FATAL|EXITED)/.test(all)) return [];
      const main = n.configs[0]!;
      const at = main.text.search(/^\s*\[supervisord\]/m);
      return [finding(this, locate(main.path, main.text, Math.max(at, 0)), 'no eventlistener stops supervisord when a program dies', {
        manual: `Add to ${main.path}:\n${LISTENER}`,
      })];
    });
  },
} satisfies MigrateRule;
