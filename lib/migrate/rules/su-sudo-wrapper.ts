import type { Edit } from '../types.ts';
import { finding, scriptEdit, type MigrateRule } from './util.ts';
import type { ImageModel } from '../model.ts';
import type { ChainNode } from '../chain.ts';

/** The exec-style privilege dropper available in the image, as an argv prefix for `user`. */
function dropper(m: ImageModel, user: string): string | null {
  if (/\bgosu\b/.test(m.runText)) return `gosu ${user}`;
  if (/\bsu-exec\b/.test(m.runText)) return `su-exec ${user}`;
  // util-linux's setpriv ships with Debian/Ubuntu-based images, not with Alpine/BusyBox.
  if (/alpine|busybox|distroless|scratch/.test(m.dockerfile.final.baseImage)) return null;
  return `setpriv --reuid=${user} --regid=${user} --init-groups`;
}

/** Rewrites `[exec] su USER [-s SHELL] -c "CMD"` / `sudo -u USER CMD...` written in a script. */
function rewrite(m: ImageModel, n: ChainNode): Edit | null {
  const o = n.origin;
  if (o.type !== 'command') return null;
  const words = o.command.words.slice(o.index);
  const v = words.map((w) => w.value);
  const first = words[0]!;
  const exec = o.index > 0 ? '' : 'exec ';
  if (n.name === 'su' || n.name === 'runuser') {
    let user: string | null = null;
    let shell = '/bin/sh';
    let cmd: (typeof words)[number] | null = null;
    for (let i = 1; i < v.length; i++) {
      const a = v[i]!;
      if (a === '-s' || a === '--shell') shell = v[++i] ?? shell;
      else if (a === '-c' || a === '--command') cmd = words[++i] ?? null;
      else if (a === '-m' || a === '-p' || a === '--preserve-environment') continue;
      else if (a.startsWith('-')) return null;
      else if (user === null) user = a;
      else return null;
    }
    if (!user || !cmd || !/^[a-z_][a-z0-9_-]*$/i.test(user)) return null;
    const d = dropper(m, user);
    if (!d) return null;
    // Only a command string quoted as one piece can take an `exec ` inside its opening quote.
    const q = cmd.raw[0] === '"' || cmd.raw[0] === "'" ? cmd.raw[0] : null;
    if (!q || cmd.raw.length < 2 || !cmd.raw.endsWith(q) || cmd.raw.slice(1, -1).includes(q)) return null;
    const inner = /^\s*exec\s/.test(cmd.value) ? cmd.raw : `${q}exec ${cmd.raw.slice(1)}`;
    return scriptEdit(o.script, first.start, o.command.words.at(-1)!.end, `${exec}${d} ${shell} -c ${inner}`);
  }
  let i = 1;
  let user: string | null = null;
  while (i < v.length && v[i]!.startsWith('-')) {
    if (v[i] === '-u' || v[i] === '--user') user = v[++i] ?? null;
    else if (v[i] === '--') { i++; break; } else if (!/^(-E|-H|-n|--preserve-env)$/.test(v[i]!)) return null;
    i++;
  }
  if (!user || i >= v.length || !/^[a-z_][a-z0-9_-]*$/i.test(user)) return null;
  const d = dropper(m, user);
  return d ? scriptEdit(o.script, first.start, words[i]!.start, `${exec}${d} `) : null;
}

export const suSudoWrapper = {
  id: 'PID1010',
  name: 'su-sudo-wrapper',
  severity: 'error',
  title: '`su`/`sudo` between PID 1 and the app',
  why: '`su` and `sudo` fork and stay as the parent; on SIGTERM su ends the session and SIGKILLs the app about 2 s later, so a longer shutdown is cut off.',
  fix: 'Drop privileges with a tool that execs (`gosu`, `su-exec`, `setpriv`) so the app itself becomes PID 1.',
  detect(m) {
    return m.chain.nodes.flatMap((n) => {
      if (n.kind !== 'priv-wrapper') return [];
      const e = rewrite(m, n);
      return [finding(this, n.location, `\`${n.name}\` stays the parent of the app and mishandles the stop signal`, {
        edits: e ? [e] : null,
        manual: e ? undefined : `Replace \`${n.name}\` with \`exec gosu <user> <cmd>\` (install gosu), \`su-exec\` on Alpine, or \`setpriv --reuid --regid --init-groups\`.`,
      })];
    });
  },
} satisfies MigrateRule;
