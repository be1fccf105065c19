// Shared shapes of the migrate analysis: source files, findings, edits and the rule contract.

/** A text file of the build context, addressed by its path relative to the context root. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

export interface Location {
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
}

/** Replace text[start, end) of `file` with `text`. Offsets are UTF-16 indexes into the original file. */
export interface Edit {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export type Severity = 'error' | 'warning' | 'note';

export interface Finding {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly severity: Severity;
  readonly location: Location;
  /** What is wrong here, specific to this place. */
  readonly message: string;
  /** Minimal edits that fix it; absent when the fix cannot be automatic. */
  readonly edits?: readonly Edit[];
  /** What to do by hand when there are no edits (or what else to consider). */
  readonly manual?: string;
}

export interface Rule<M> {
  /** Stable id, `PID1` + three digits; never reused. */
  readonly id: string;
  /** Stable kebab-case name; matches a cases/TAGS.md problem tag where one exists. */
  readonly name: string;
  readonly severity: Severity;
  readonly title: string;
  /** Why this breaks shutdown, one or two sentences. */
  readonly why: string;
  /** How the fix looks, in words. */
  readonly fix: string;
  readonly detect: (model: M) => Finding[];
}

/** An input problem that stops the analysis; reported as `file:line: message`. */
export class MigrateError extends Error {
  readonly file: string;
  readonly line: number;
  constructor(file: string, line: number, message: string) {
    super(message);
    this.name = 'MigrateError';
    this.file = file;
    this.line = line;
  }
  format(): string {
    return `${this.file}:${this.line}: error: ${this.message}`;
  }
}

/** 1-based line and column of an offset. */
export function locate(file: string, text: string, offset: number): Location {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { file, line, column: end - lineStart + 1 };
}
