import { finding, isExec, commandLocation, stopTraps, hasExitTrap, scriptEdit, type MigrateRule } from './util.ts';

export const trapDeferred = {
  id: 'PID1005',
  name: 'trap-deferred-by-foreground-child',
  severity: 'error',
  title: 'Trap cannot run while a foreground command blocks the shell',
  why: 'The shell runs a trap only after the current foreground command finishes; a foreground `tail -f` or server never finishes, so the trap never runs and everything is SIGKILLed.',
  fix: 'Start the last command in the background and block in `wait` (which a trapped signal interrupts); stop and reap it on exit.',
  detect(m) {
    return m.chain.nodes.flatMap((n) => {
      const s = n.script;
      if (n.kind !== 'shell' || !s?.parsed || !s.final) return [];
      const f = s.final;
      const traps = stopTraps(s, f);
      if (traps.length === 0 || isExec(f) || f.kind !== 'simple' || f.words[0]?.value === 'wait') return [];
      if (f.after === '&' || f.before === '|' || f.after === '|') return [];
      const line = s.text.lastIndexOf('\n', f.start - 1) + 1;
      const indent = /^[ \t]*/.exec(s.text.slice(line))![0];
      const tail = `\n${indent}main_pid=$!\n${indent}trap 'kill "$main_pid" 2>/dev/null; wait "$main_pid"' EXIT\n${indent}wait "$main_pid"`;
      const e = hasExitTrap(s) || f.start !== line + indent.length ? null : scriptEdit(s, f.end, f.end, ` &${tail}`);
      return [finding(this, commandLocation(s, f), `the trap on line ${commandLocation(s, traps[0]!).line} cannot run while \`${f.words[0]?.value}\` runs in the foreground`, {
        edits: e ? [e] : null,
        manual: e ? undefined : 'Run the last command as `cmd & main_pid=$!; wait "$main_pid"` and stop it in the trap.',
      })];
    });
  },
} satisfies MigrateRule;
