import { finding, scriptEdit, type MigrateRule } from './util.ts';
import type { Edit } from '../types.ts';

export const supervisordDaemonizes = {
  id: 'PID1013',
  name: 'supervisor-daemonizes',
  severity: 'error',
  title: 'supervisord forks into the background',
  why: 'Without `nodaemon=true` (or `-n`) supervisord forks and its foreground process exits at once; as PID 1 that ends the container, and the kernel SIGKILLs every service.',
  fix: 'Run it in the foreground: add `-n` to the command (or `nodaemon=true` under [supervisord]).',
  detect(m) {
    return m.chain.nodes.flatMap((n) => {
      if (n.kind !== 'supervisor' || n.name !== 'supervisord' || !n.configs || n.configs.length === 0) return [];
      if (n.argv.some((a) => a === '-n' || a === '--nodaemon')) return [];
      if (n.configs.some((c) => /^\s*nodaemon\s*=\s*(true|1|yes)\b/im.test(c.text))) return [];
      const o = n.origin;
      let edit: Edit | null = null;
      if (o.type === 'command') {
        const w = o.command.words[o.index];
        edit = w ? scriptEdit(o.script, w.end, w.end, ' -n') : null;
      } else if (o.spec.form === 'exec') {
        const s = o.spec.strings[o.index];
        edit = s ? { file: m.dockerfile.file.path, start: s.end, end: s.end, text: ', "-n"' } : null;
      }
      return [finding(this, n.location, 'supervisord is started without -n and its config does not set nodaemon=true', {
        edits: edit ? [edit] : null,
        manual: edit ? undefined : 'Add `nodaemon=true` to the [supervisord] section.',
      })];
    });
  },
} satisfies MigrateRule;
