// Appending arguments right after a program word, wherever its argv was written.
import type { Edit } from '../types.ts';
import type { ChainNode } from '../chain.ts';
import type { ImageModel } from '../model.ts';
import { scriptEdit } from './util.ts';

/** Edit inserting `args` right after the node's program word (exec-form JSON or a script command). */
export function appendArgs(m: ImageModel, n: ChainNode, args: string[]): Edit | null {
  const o = n.origin;
  if (o.type === 'command') {
    const w = o.command.words[o.index];
    return w ? scriptEdit(o.script, w.end, w.end, args.map((a) => ` ${/[\s;'"$]/.test(a) ? `'${a}'` : a}`).join('')) : null;
  }
  if (o.spec.form !== 'exec') return null;
  const s = o.spec.strings[o.index];
  return s ? { file: m.dockerfile.file.path, start: s.end, end: s.end, text: args.map((a) => `, ${JSON.stringify(a)}`).join('') } : null;
}
