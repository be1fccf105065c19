import { finding, execInsertion, commandLocation, parentScript, type MigrateRule } from './util.ts';

export const supervisorNotPid1 = {
  id: 'PID1011',
  name: 'supervisor-not-pid1',
  severity: 'error',
  title: 'Process manager started by a shell that stays PID 1',
  why: 'The process manager knows how to stop every service, but the shell in front of it is PID 1, drops the stop signal and never passes it on; all services are SIGKILLed.',
  fix: 'Start the process manager with `exec` (or directly as the exec-form CMD) so it is PID 1.',
  detect(m) {
    return m.chain.nodes.flatMap((n) => {
      if (n.kind !== 'supervisor' || n.sameProcess) return [];
      const s = parentScript(n);
      const e = s && s.final && n.origin.type === 'command' && n.origin.command === s.final ? execInsertion(s) : null;
      return [finding(this, s && n.origin.type === 'command' ? commandLocation(s, n.origin.command) : n.location,
        `\`${n.name}\` runs as a child; the stop signal goes to the process in front of it`, {
          edits: e ? [e] : null,
          manual: e ? undefined : `Make \`${n.name}\` PID 1: \`exec ${n.name} ...\` at the end of the script, or an exec-form CMD.`,
        })];
    });
  },
} satisfies MigrateRule;
