// Putting tini in front of PID 1: install it if the image does not have it, then make it the
// ENTRYPOINT (or prefix an exec-form ENTRYPOINT with it).
import type { Edit } from '../types.ts';
import type { ImageModel } from '../model.ts';
import { instructionInsertPoint, insertLine } from './stop-insert.ts';

const DEBIAN = /^(docker\.io\/)?(library\/)?(node|python|debian|ubuntu|eclipse-temurin|openjdk|ruby|golang|php|perl|rust|buildpack-deps)(:|$)/;
const ALPINE = /alpine/;

/** Edits that run the image under tini, or null when this image's package manager is unknown. */
export function addInitEdits(m: ImageModel): Edit[] | null {
  const st = m.dockerfile.final.state;
  const baseImage = m.dockerfile.final.baseImage;
  const alpine = ALPINE.test(baseImage);
  if (!alpine && !DEBIAN.test(baseImage)) return null;
  if (st.entrypoint && st.entrypoint.form !== 'exec') return null;
  // RUN needs root; a USER earlier in the stage would make the install fail.
  if (m.dockerfile.final.instructions.some((i) => i.getKeyword() === 'USER' && i.getRange().start.line + 1 < (st.cmd?.line ?? Infinity))) return null;
  const tini = alpine ? '/sbin/tini' : '/usr/bin/tini';
  const installed = /\btini\b/.test(m.runText);
  const install = alpine
    ? 'RUN apk add --no-cache tini'
    : 'RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*';
  const edits: Edit[] = [];
  const at = instructionInsertPoint(m);
  if (st.entrypoint) {
    const first = st.entrypoint.strings[0];
    if (!first) return null;
    if (!installed) edits.push(insertLine(m, at, install));
    edits.push({ file: m.dockerfile.file.path, start: first.start, end: first.start, text: `"${tini}", "--", ` });
    return edits;
  }
  if (!st.cmd || st.cmd.form !== 'exec') return null;
  edits.push(insertLine(m, at, [...(installed ? [] : [install]), `ENTRYPOINT ["${tini}", "--"]`].join('\n')));
  return edits;
}
