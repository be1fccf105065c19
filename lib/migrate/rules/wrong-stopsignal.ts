import { finding, type MigrateRule } from './util.ts';
import { stopSignalEdit } from './stop-insert.ts';
import { locate } from '../types.ts';
import type { ChainNode } from '../chain.ts';
import type { ImageModel } from '../model.ts';

/** Servers whose graceful stop is not SIGTERM, by program name. */
const GRACEFUL: readonly { readonly re: RegExp; readonly server: string; readonly signal: string; readonly meaning: string }[] = [
  { re: /^(nginx|openresty)$/, server: 'nginx', signal: 'SIGQUIT', meaning: 'TERM is its fast shutdown (open connections are dropped), QUIT the graceful one' },
  { re: /^php-fpm[0-9.]*$/, server: 'php-fpm', signal: 'SIGQUIT', meaning: 'TERM stops it immediately, QUIT lets workers finish' },
  { re: /^(httpd|apache2|httpd-foreground|apache2-foreground|apachectl|apache2ctl)$/, server: 'Apache httpd', signal: 'SIGWINCH', meaning: 'TERM aborts requests, WINCH is its graceful stop' },
];

/** The long-lived server: the last program of the chain that runs in PID 1's process or under an init. */
function server(m: ImageModel): { node: ChainNode; g: (typeof GRACEFUL)[number] } | null {
  const last = m.chain.nodes.at(-1);
  if (last) {
    const g = GRACEFUL.find((x) => x.re.test(last.name));
    if (g) return { node: last, g };
  }
  return null;
}

export const wrongStopsignal = {
  id: 'PID1014',
  name: 'wrong-stopsignal',
  severity: 'error',
  title: 'Stop signal means "fast stop" for this server',
  why: 'Signal delivery works, but the image\'s stop signal maps to the server\'s immediate shutdown, so in-flight requests are cut off on every stop or rollout.',
  fix: 'Set STOPSIGNAL to the server\'s graceful-stop signal (nginx and php-fpm: SIGQUIT; httpd: SIGWINCH).',
  detect(m) {
    const s = server(m);
    if (!s) {
      // php-fpm inherited from the base image's CMD.
      if (!m.chain.nodes.length && /php:[^@]*fpm/.test(m.dockerfile.final.baseImage) && m.stopSignal.name !== 'SIGQUIT') {
        return [finding(this, locate(m.dockerfile.file.path, m.dockerfile.file.text, m.stopSignal.declared?.start ?? 0),
          `php-fpm receives ${m.stopSignal.name}; its graceful stop is SIGQUIT`, { edits: [stopSignalEdit(m, 'SIGQUIT')] })];
      }
      return [];
    }
    if (m.stopSignal.name === s.g.signal) return [];
    const at = m.stopSignal.declared
      ? locate(m.dockerfile.file.path, m.dockerfile.file.text, m.stopSignal.declared.start)
      : s.node.location;
    return [finding(this, at, `${s.g.server} gets ${m.stopSignal.name} (${m.stopSignal.source === 'default' ? 'Docker\'s default' : 'declared'}): ${s.g.meaning}`, {
      edits: [stopSignalEdit(m, s.g.signal)],
    })];
  },
} satisfies MigrateRule;
