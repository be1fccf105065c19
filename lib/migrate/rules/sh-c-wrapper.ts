import { finding, execInsertion, isExec, commandLocation, type MigrateRule } from './util.ts';

export const shCWrapper = {
  id: 'PID1002',
  name: 'sh-c-wrapper',
  severity: 'error',
  title: 'Exec-form `sh -c` wrapper without `exec`',
  why: 'An exec-form `["sh", "-c", "..."]` still makes the shell PID 1; without `exec` inside the string the program runs as its child and never receives the stop signal.',
  fix: 'Start the command inside the string with `exec` (keeps variable expansion), or drop the shell if nothing needs expanding.',
  detect(m) {
    return m.chain.nodes.flatMap((n) => {
      const s = n.script;
      if (n.kind !== 'shell' || !s?.parsed || !s.final || n.origin.type !== 'instruction' || n.origin.spec.form !== 'exec') return [];
      if (s.file !== m.dockerfile.file.path) return [];
      if (isExec(s.final)) return [];
      const e = execInsertion(s);
      return [finding(this, commandLocation(s, s.final), `\`${n.argv[0]} -c\` stays PID 1 while \`${s.final.words[0]?.value ?? s.final.kind}\` runs as its child`, {
        edits: e ? [e] : null,
        manual: e ? undefined : 'Move the commands into a script that ends in `exec`, or put `exec` before the long-lived command.',
      })];
    });
  },
} satisfies MigrateRule;
