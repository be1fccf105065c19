import { locate } from '../types.ts';
import type { Edit } from '../types.ts';
import { finding, execInsertion, isExec, type MigrateRule } from './util.ts';
import type { ExecSpec } from '../dockerfile.ts';
import type { ImageModel } from '../model.ts';

function specsInUse(m: ImageModel): ExecSpec[] {
  const { entrypoint, cmd } = m.dockerfile.final.state;
  const out: ExecSpec[] = [];
  if (entrypoint) out.push(entrypoint);
  if (cmd && !(entrypoint && entrypoint.form === 'shell')) out.push(cmd);
  return out.filter((s) => s.form === 'shell');
}

export const shellFormCmd = {
  id: 'PID1001',
  name: 'shell-form-cmd',
  severity: 'error',
  title: 'CMD/ENTRYPOINT in shell form',
  why: 'Shell form runs `/bin/sh -c "<cmd>"` as PID 1; dash stays the parent, ignores SIGTERM as PID 1 and never forwards it, so the app is SIGKILLed after the grace period.',
  fix: 'Use exec form (JSON array); when the command needs the shell (variables), start it with `exec` so the program replaces the shell.',
  detect(m) {
    return specsInUse(m).flatMap((spec) => {
      const script = m.chain.scripts.find((s) => s.file === m.dockerfile.file.path && s.offset === spec.script?.offset);
      if (!script?.parsed || !script.final) return [];
      if (isExec(script.final) && script.final.depth === 0) return [];
      const at = locate(m.dockerfile.file.path, m.dockerfile.file.text, spec.start);
      const cmds = script.parsed.commands;
      const only = cmds.length === 1 ? cmds[0]! : null;
      let edits: Edit[] | null = null;
      if (only && only.kind === 'simple' && only.assignments.length === 0 && only.redirects.length === 0 && !only.after
        && only.words.every((w) => w.raw === w.value && !w.dynamic) && m.dockerfile.escape === '\\') {
        edits = [{ file: m.dockerfile.file.path, start: spec.argsStart, end: spec.argsEnd, text: JSON.stringify(only.words.map((w) => w.value)).replace(/","/g, '", "') }];
      } else {
        const e = execInsertion(script);
        edits = e ? [e] : null;
      }
      return [finding(this, at, `${spec.keyword} is in shell form: /bin/sh -c stays PID 1 and does not forward the stop signal`, {
        edits, manual: edits ? undefined : 'Write it in exec form, or wrap the long-lived command in a script that ends in `exec`.',
      })];
    });
  },
} satisfies MigrateRule;
