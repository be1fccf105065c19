// Runs every rule over one Dockerfile and its build context; applies fixes in memory until
// nothing more can be fixed. Nothing here writes to disk.
import type { BuildContext } from './context.ts';
import { normalize } from './context.ts';
import { buildModel, type ImageModel } from './model.ts';
import { RULES } from './rules/index.ts';
import { applyEdits } from './rewrite.ts';
import { readDockerfile } from './dockerfile.ts';
import { parseShell, ShellParseError } from './shell.ts';
import { MigrateError, locate, type Finding } from './types.ts';

export interface ChainStep {
  readonly process: number;
  readonly kind: string;
  readonly argv: string[];
  readonly file: string;
  readonly line: number;
}

export interface Analysis {
  readonly dockerfile: string;
  readonly findings: Finding[];
  readonly chain: ChainStep[];
  readonly stopSignal: { readonly name: string; readonly source: 'dockerfile' | 'base-image' | 'default' };
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line
    || a.location.column - b.location.column || a.ruleId.localeCompare(b.ruleId) || a.message.localeCompare(b.message);
}

function readDockerfileText(ctx: BuildContext, path: string): string {
  const text = ctx.read(path);
  if (text === undefined) throw new MigrateError(path, 1, 'no such file');
  return text;
}

export function modelOf(ctx: BuildContext, dockerfile: string): ImageModel {
  return buildModel({ path: normalize(dockerfile), text: readDockerfileText(ctx, dockerfile) }, ctx);
}

export function analyze(ctx: BuildContext, dockerfile = 'Dockerfile'): Analysis {
  const m = modelOf(ctx, dockerfile);
  const seen = new Set<string>();
  const findings = RULES.flatMap((r) => r.detect(m)).filter((f) => {
    const key = `${f.ruleId}|${f.location.file}|${f.location.line}|${f.location.column}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).sort(compareFindings);
  let proc = 0;
  const chain = m.chain.nodes.map((n, i) => {
    if (i === 0 || !n.sameProcess) proc++;
    return { process: proc, kind: n.kind, argv: n.argv, file: n.location.file, line: n.location.line };
  });
  return { dockerfile: normalize(dockerfile), findings, chain, stopSignal: { name: m.stopSignal.name, source: m.stopSignal.source } };
}

function overlay(ctx: BuildContext, files: ReadonlyMap<string, string>): BuildContext {
  return { ...ctx, read: (p) => files.get(normalize(p)) ?? ctx.read(p) };
}

export interface Migration {
  readonly before: Analysis;
  readonly after: Analysis;
  /** New text of every file that changed, by context path. */
  readonly changed: Map<string, string>;
  /** Original text of every file that changed. */
  readonly original: Map<string, string>;
}

const MAX_ROUNDS = 4;

/** Applies every automatic fix; later rounds pick up fixes whose edits overlapped an earlier one. */
export function migrate(ctx: BuildContext, dockerfile = 'Dockerfile'): Migration {
  const before = analyze(ctx, dockerfile);
  const changed = new Map<string, string>();
  const original = new Map<string, string>();
  let current = before;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const edits = current.findings.flatMap((f) => f.edits ?? []);
    if (edits.length === 0) break;
    const view = overlay(ctx, changed);
    const result = applyEdits((p) => view.read(p), edits);
    if (result.size === 0) break;
    for (const [path, text] of result) {
      if (!original.has(path)) original.set(path, ctx.read(path) ?? '');
      validate(path, text, path === current.dockerfile);
      changed.set(path, text);
    }
    current = analyze(overlay(ctx, changed), dockerfile);
  }
  for (const [path, text] of [...changed]) if (original.get(path) === text) { changed.delete(path); original.delete(path); }
  return { before, after: current, changed, original };
}

/** A rewrite must leave every file parseable; otherwise nothing is written. */
function validate(path: string, text: string, isDockerfile: boolean): void {
  if (isDockerfile) {
    try {
      readDockerfile({ path, text });
    } catch (e) {
      throw new Error(`${path}: the rewrite would not parse (${(e as Error).message})`);
    }
    return;
  }
  if (/\.(json|conf|ini)$/.test(path)) return;
  try {
    parseShell(text);
  } catch (e) {
    // A rewrite that breaks the script is a bug in a rule, not bad input.
    if (e instanceof ShellParseError) throw new Error(`${path}:${locate(path, text, e.offset).line}: the rewrite would not parse (${e.message})`);
    throw e;
  }
}
