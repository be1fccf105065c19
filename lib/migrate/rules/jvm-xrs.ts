import type { Edit } from '../types.ts';
import { finding, type MigrateRule } from './util.ts';
import { locate } from '../types.ts';

const OPTION_VARS = ['JAVA_OPTS', 'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS', 'CATALINA_OPTS'];

export const jvmXrs = {
  id: 'PID1016',
  name: 'jvm-reduced-signals',
  severity: 'error',
  title: 'JVM started with -Xrs',
  why: '`-Xrs` stops the JVM from handling SIGTERM, so shutdown hooks (Spring context close, Tomcat stop) never run and, as PID 1, the JVM ignores the stop signal entirely.',
  fix: 'Remove `-Xrs`.',
  detect(m) {
    const file = m.dockerfile.file;
    const out = [];
    for (const name of OPTION_VARS) {
      const v = m.dockerfile.final.state.env.get(name);
      if (!v || !/(^|\s)-Xrs(\s|$)/.test(v.value)) continue;
      const raw = file.text.slice(v.start, v.end);
      const re = /(^|\s|")-Xrs(?=\s|"|$)/.exec(raw);
      let edit: Edit | null = null;
      if (re) {
        const s = v.start + re.index + re[1]!.length;
        const after = file.text[s + 4] === ' ' ? 1 : 0;
        const before = !after && re[1] === ' ' ? 1 : 0;
        edit = { file: file.path, start: s - before, end: s + 4 + after, text: '' };
      }
      out.push(finding(this, locate(file.path, file.text, v.start), `${name} contains -Xrs`, { edits: edit ? [edit] : null, manual: edit ? undefined : `Remove -Xrs from ${name}.` }));
    }
    for (const n of m.chain.nodes) {
      if (n.name !== 'java' || !n.argv.includes('-Xrs')) continue;
      const i = n.argv.indexOf('-Xrs');
      const o = n.origin;
      let edit: Edit | null = null;
      if (o.type === 'instruction' && o.spec.form === 'exec' && o.spec.strings[o.index + i - 1] && o.spec.strings[o.index + i]) {
        edit = { file: file.path, start: o.spec.strings[o.index + i - 1]!.end, end: o.spec.strings[o.index + i]!.end, text: '' };
      } else if (o.type === 'command' && o.script.editable && o.command.words[o.index + i - 1] && o.command.words[o.index + i]) {
        edit = { file: o.script.file, start: o.script.offset + o.command.words[o.index + i - 1]!.end, end: o.script.offset + o.command.words[o.index + i]!.end, text: '' };
      }
      out.push(finding(this, n.location, '`java` is started with -Xrs', { edits: edit ? [edit] : null, manual: edit ? undefined : 'Remove -Xrs.' }));
    }
    return out;
  },
} satisfies MigrateRule;
