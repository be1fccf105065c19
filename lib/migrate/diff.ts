// Unified diff of two texts (line based, LCS), for showing what migrate changes.

function lcsTable(a: string[], b: string[]): Uint32Array[] {
  const t = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      t[i]![j] = a[i] === b[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
    }
  }
  return t;
}

/** Lines with their newline kept, so a missing final newline is a difference too. */
function lines(text: string): string[] {
  const parts = text.split('\n');
  const out = parts.slice(0, -1).map((l) => `${l}\n`);
  if (parts[parts.length - 1] !== '') out.push(parts[parts.length - 1]!);
  return out;
}

type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string; readonly ai: number; readonly bi: number };

export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const a = lines(before);
  const b = lines(after);
  // Common prefix and suffix keep the table small for the usual one-line change.
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  const ops: Op[] = [];
  // Beyond this the table costs too much memory; show the middle as one replaced block.
  const t = am.length * bm.length <= 4_000_000 ? lcsTable(am, bm) : null;
  for (let k = 0; k < pre; k++) ops.push({ kind: ' ', line: a[k]!, ai: k, bi: k });
  let i = 0;
  let j = 0;
  while (i < am.length || j < bm.length) {
    if (i < am.length && j < bm.length && am[i] === bm[j]) { ops.push({ kind: ' ', line: am[i]!, ai: pre + i, bi: pre + j }); i++; j++; }
    else if (i < am.length && (j >= bm.length || !t || t[i + 1]![j]! >= t[i]![j + 1]!)) { ops.push({ kind: '-', line: am[i]!, ai: pre + i, bi: pre + j }); i++; }
    else { ops.push({ kind: '+', line: bm[j]!, ai: pre + i, bi: pre + j }); j++; }
  }
  for (let k = 0; k < suf; k++) ops.push({ kind: ' ', line: a[a.length - suf + k]!, ai: a.length - suf + k, bi: b.length - suf + k });
  const out = [`--- a/${path}`, `+++ b/${path}`];
  let k = 0;
  while (k < ops.length) {
    while (k < ops.length && ops[k]!.kind === ' ') k++;
    if (k >= ops.length) break;
    const start = Math.max(0, k - context);
    let end = k;
    for (;;) {
      while (end < ops.length && ops[end]!.kind !== ' ') end++;
      let run = end;
      while (run < ops.length && ops[run]!.kind === ' ') run++;
      if (run < ops.length && run - end <= context * 2) { end = run; continue; }
      end = Math.min(ops.length, end + context);
      break;
    }
    const hunk = ops.slice(start, end);
    const aLen = hunk.filter((o) => o.kind !== '+').length;
    const bLen = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${hunk[0]!.ai + (aLen ? 1 : 0)},${aLen} +${hunk[0]!.bi + (bLen ? 1 : 0)},${bLen} @@`);
    for (const o of hunk) {
      out.push(`${o.kind}${o.line.endsWith('\n') ? o.line.slice(0, -1) : o.line}`);
      if (!o.line.endsWith('\n')) out.push('\\ No newline at end of file');
    }
    k = end;
  }
  return out.join('\n') + '\n';
}
