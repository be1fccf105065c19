// Helpers the rules share: building findings and edits inside scripts.
import type { Edit, Finding, Location, Rule } from '../types.ts';
import type { ImageModel } from '../model.ts';
import type { Command } from '../shell.ts';
import { scriptLocation, type ChainNode, type Script } from '../chain.ts';

export type MigrateRule = Rule<ImageModel>;

export function finding(rule: MigrateRule, location: Location, message: string,
  fix: { edits?: Edit[] | null; manual?: string } = {}): Finding {
  return {
    ruleId: rule.id, ruleName: rule.name, severity: rule.severity, location, message,
    ...(fix.edits && fix.edits.length > 0 ? { edits: fix.edits } : {}),
    ...(fix.manual ? { manual: fix.manual } : {}),
  };
}

/** An edit at offsets local to the script's code, or null when the code cannot be edited in place. */
export function scriptEdit(s: Script, start: number, end: number, text: string): Edit | null {
  if (!s.editable) return null;
  return { file: s.file, start: s.offset + start, end: s.offset + end, text };
}

export function commandLocation(s: Script, c: Command): Location {
  return scriptLocation(s, c.words[0]?.start ?? c.start);
}

export const isExec = (c: Command): boolean => c.words[0]?.value === 'exec';

/** The command's argv after `exec` and its options. */
export function execTarget(c: Command): string[] {
  const words = c.words.map((w) => w.value);
  if (words[0] !== 'exec') return words;
  let i = 1;
  while (words[i]?.startsWith('-')) i += words[i] === '-a' ? 2 : 1;
  return words.slice(i);
}

/** Top-level commands outside functions, in order. */
export function topLevel(s: Script): Command[] {
  return s.parsed ? s.parsed.commands.filter((c) => c.depth === 0 && c.inFunction === null) : [];
}

const STOP_SIGNALS = /^(SIG)?(TERM|INT|QUIT|HUP|15|2|3|1)$/i;

/** Top-level `trap ... TERM` (or INT/QUIT/HUP) commands that run before `before`. */
export function stopTraps(s: Script, before?: Command): Command[] {
  return topLevel(s).filter((c) => c.words[0]?.value === 'trap' && (!before || c.start < before.start)
    && c.words.slice(2).some((w) => STOP_SIGNALS.test(w.value)) && c.words[1]?.value !== '-');
}

export function hasExitTrap(s: Script): boolean {
  return topLevel(s).some((c) => c.words[0]?.value === 'trap' && c.words.slice(2).some((w) => /^(EXIT|0)$/.test(w.value)));
}

/** Commands started in the background (`cmd &`) at the top level before `before`. */
export function backgroundJobs(s: Script, before?: Command): Command[] {
  return topLevel(s).filter((c) => c.after === '&' && (!before || c.start < before.start));
}

/** Script nodes of the chain, with the node. */
export function shellNodes(m: ImageModel): { node: ChainNode; script: Script }[] {
  return m.chain.nodes.flatMap((node) => (node.kind === 'shell' && node.script?.parsed ? [{ node, script: node.script }] : []));
}

/** The shell node through which `node` was reached, if any. */
export function parentScript(node: ChainNode): Script | null {
  return node.origin.type === 'command' ? node.origin.script : null;
}

const NOT_EXECABLE = new Set(['.', 'source', 'eval', 'cd', 'set', 'export', 'wait', 'trap', 'read', 'echo', 'printf', 'local', 'shift', 'unset', 'builtin', 'command', '[', 'test', 'true', 'false', ':']);

/** Inserting `exec ` in front of the script's final command, when that alone hands PID over to it. */
export function execInsertion(s: Script): Edit | null {
  const f = s.final;
  if (!f || f.kind !== 'simple' || f.words.length === 0 || isExec(f)) return null;
  if (f.after === '&' || f.after === '|' || f.after === '|&' || f.before === '|' || f.before === '|&') return null;
  if (f.before === '||') return null;
  // `exec` needs a program: a function or builtin of the script cannot be exec'd.
  const name = f.words[0]!.value;
  if (s.parsed?.functions.has(name) || NOT_EXECABLE.has(name)) return null;
  return scriptEdit(s, f.words[0]!.start, f.words[0]!.start, 'exec ');
}

const KEEPALIVE = /^(tail|sleep|wait|read|cat|pause)$/;
export const isKeepAlive = (c: Command): boolean => KEEPALIVE.test(c.words[0]?.value ?? '') || c.kind === 'compound';
