// The shell reader: command boundaries, connectors, nesting, functions, heredocs, quoting, errors.
import { describe, expect, it } from 'vitest';
import { parseShell, ShellParseError } from '../../lib/migrate/shell.ts';

const shape = (text: string) => parseShell(text).commands.map((c) =>
  `${c.depth}${c.inFunction ? `@${c.inFunction}` : ''}:${c.kind === 'compound' ? `<${c.words[0]?.value ?? '('}>` : c.words.map((w) => w.value).join(' ')}${c.after && c.after !== '\n' ? ` ${c.after}` : ''}`);

describe('parseShell', () => {
  it.each([
    ['a && b || c', ['0:a &&', '0:b ||', '0:c']],
    ['app 2>&1 | tee -a log', ['0:app |', '0:tee -a log']],
    ['x & y &\nwait', ['0:x &', '0:y &', '0:wait']],
    ['f() {\n  echo "$1"\n}\nf x', ['1@f:echo $1', '0:f x']],
    ['function g { h; }\ng', ['1@g:h ;', '0:g']],
    ['if [ -n "$A" ]; then\n  exec a\nelse\n  exec b\nfi', ['1:[ -n $A ] ;', '1:exec a', '1:exec b', '0:<if>']],
    ['case "$1" in\n  start) run ;;\n  *) exec "$@" ;;\nesac', ['1:run ;;', '1:exec $@ ;;', '0:<case>']],
    ['for i in 1 2; do echo $i; done | sort', ['1:echo $i ;', '0:<for> |', '0:sort']],
    ['cat <<EOF\nexec not-a-command\nEOF\nexec real', ['0:cat', '0:exec real']],
    ["echo 'a # b' # comment\nx=$(printf '%s' \"$(date)\") y", ['0:echo a # b', '0:y']],
    ['A=1 B="two words" exec node app.js', ['0:exec node app.js']],
    ['( cd /x && make ) &\n{ a; b; } > out', ['1:cd /x &&', '1:make', '0:<(> &', '1:a ;', '1:b ;', '0:<{>']],
    ['line \\\n  continued', ['0:line continued']],
  ])('%j', (text, expected) => {
    expect(shape(text)).toEqual(expected);
  });

  it('keeps word offsets exact, so edits land on the right bytes', () => {
    const text = 'echo hi;  "$HOME/bin/run" --x "a b"';
    const run = parseShell(text).commands[1]!;
    for (const w of run.words) expect(text.slice(w.start, w.end)).toBe(w.raw);
    expect(run.words.map((w) => w.value)).toEqual(['$HOME/bin/run', '--x', 'a b']);
    expect(run.words[0]!.dynamic).toBe(true);
  });

  it.each([
    ['echo "open', 5, 'unterminated double quote'],
    ["echo 'open", 5, 'unterminated single quote'],
    ['echo $(date', 5, 'unterminated $('],
    ['if true; then\n  x\n', 0, "'if' is not closed"],
    ['x\nfi\n', 2, "unexpected 'fi'"],
    ['cat <<EOF\nbody\n', 15, "'EOF' is not closed"],
    ['echo >', 6, "missing target after '>'"],
  ])('%j is an error at its offset', (text, offset, message) => {
    let error: unknown;
    try {
      parseShell(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShellParseError);
    expect((error as ShellParseError).offset).toBe(offset);
    expect((error as ShellParseError).message).toContain(message);
  });
});
