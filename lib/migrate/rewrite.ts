// Applies text edits so that every byte outside the edited ranges stays as it was.
import type { Edit } from './types.ts';

/** Applies non-overlapping edits per file; an edit overlapping one already taken is left for a later round. */
export function applyEdits(read: (path: string) => string | undefined, edits: readonly Edit[]): Map<string, string> {
  const byFile = new Map<string, Edit[]>();
  for (const e of edits) {
    const list = byFile.get(e.file) ?? [];
    if (!list.some((x) => x.start === e.start && x.end === e.end && x.text === e.text)) list.push(e);
    byFile.set(e.file, list);
  }
  const out = new Map<string, string>();
  for (const [file, list] of byFile) {
    const text = read(file);
    if (text === undefined) continue;
    const taken: Edit[] = [];
    for (const e of list) {
      if (e.start < 0 || e.end > text.length || e.start > e.end) continue;
      const clash = taken.some((t) => (e.start < t.end && t.start < e.end) || (e.start === e.end && t.start === t.end && e.start === t.start)
        || (e.start === e.end && t.start < e.start && e.start < t.end) || (t.start === t.end && e.start < t.start && t.start < e.end));
      if (!clash) taken.push(e);
    }
    taken.sort((a, b) => b.start - a.start || b.end - a.end);
    let result = text;
    for (const e of taken) result = result.slice(0, e.start) + e.text + result.slice(e.end);
    if (result !== text) out.set(file, result);
  }
  return out;
}
