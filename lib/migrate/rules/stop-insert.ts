// Where a new instruction goes in the final stage, and the STOPSIGNAL edit both signal rules use.
import type { Edit } from '../types.ts';
import type { ImageModel } from '../model.ts';

/** Offset of the start of the line holding the final stage's CMD/ENTRYPOINT, else the end of the stage. */
export function instructionInsertPoint(m: ImageModel, beforeUser = false): number {
  const st = m.dockerfile.final;
  const text = m.dockerfile.file.text;
  const lineStart = (o: number): number => text.lastIndexOf('\n', o - 1) + 1;
  const own = st.instructions.filter((i) => ['CMD', 'ENTRYPOINT', ...(beforeUser ? ['USER'] : [])].includes(i.getKeyword()));
  if (own[0]) {
    const r = own[0].getRange().start;
    return lineStart(m.dockerfile.offsetOf(r.line, r.character));
  }
  const last = st.instructions.at(-1);
  const end = last ? m.dockerfile.offsetOf(last.getRange().end.line, last.getRange().end.character) : st.fromEnd;
  const nl = text.indexOf('\n', end);
  return nl < 0 ? text.length : nl + 1;
}

export function insertLine(m: ImageModel, at: number, line: string): Edit {
  const text = m.dockerfile.file.text;
  const needsNl = at === text.length && text.length > 0 && !text.endsWith('\n');
  return { file: m.dockerfile.file.path, start: at, end: at, text: `${needsNl ? '\n' : ''}${line}\n` };
}

/** Sets the image's stop signal: replaces the final stage's STOPSIGNAL or adds one before CMD. */
export function stopSignalEdit(m: ImageModel, signal: string): Edit {
  const d = m.stopSignal.declared;
  const own = m.dockerfile.final.instructions.some((i) => i.getKeyword() === 'STOPSIGNAL');
  if (d && own) return { file: m.dockerfile.file.path, start: d.start, end: d.end, text: signal };
  return insertLine(m, instructionInsertPoint(m), `STOPSIGNAL ${signal}`);
}
