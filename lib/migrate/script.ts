// Shell code found on the PID-1 path, parsed once, with the command it ends in.
import { parseShell, ShellParseError, type Command, type ShellScript } from './shell.ts';
import { locate, type Location } from './types.ts';

/** A piece of shell code: a script file, a `sh -c` string, or a shell-form instruction. */
export interface Script {
  /** Context path of the file the code is written in. */
  readonly file: string;
  readonly fileText: string;
  /** Offset of the code within the file. */
  readonly offset: number;
  readonly text: string;
  /** Offsets inside `text` are offsets inside the file, shifted by `offset`. */
  readonly editable: boolean;
  readonly dialect: 'bash' | 'sh';
  readonly parsed: ShellScript | null;
  readonly parseError: { readonly offset: number; readonly message: string } | null;
  /** The command the script ends in: its last top-level command other than exit. */
  readonly final: Command | null;
}

const TRAILING_NOOPS = new Set(['exit', 'return', ':', 'true']);

export function makeScript(file: string, fileText: string, offset: number, text: string, editable: boolean, dialect: 'bash' | 'sh'): Script {
  let parsed: ShellScript | null = null;
  let parseError: Script['parseError'] = null;
  try {
    parsed = parseShell(text);
  } catch (e) {
    if (!(e instanceof ShellParseError)) throw e;
    parseError = { offset: e.offset, message: e.message };
  }
  let final: Command | null = null;
  if (parsed) {
    const top = parsed.commands.filter((c) => c.depth === 0 && c.inFunction === null);
    for (let i = top.length - 1; i >= 0; i--) {
      const c = top[i]!;
      if (c.kind === 'simple' && (c.words.length === 0 || TRAILING_NOOPS.has(c.words[0]!.value))) continue;
      final = c;
      break;
    }
  }
  return { file, fileText, offset, text, editable, dialect, parsed, parseError, final };
}

export function scriptLocation(s: Script, at: number): Location {
  return locate(s.file, s.fileText, s.offset + at);
}
