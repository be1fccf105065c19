import { finding, type MigrateRule } from './util.ts';
import { appendArgs } from './server-flag-edit.ts';

export const uwsgiTerm = {
  id: 'PID1021',
  name: 'uwsgi-term-reloads',
  severity: 'error',
  title: 'uWSGI reloads on SIGTERM',
  why: 'uWSGI 2.0 treats SIGTERM as "brutal reload", not shutdown: the stop signal restarts the workers and the container is SIGKILLed at the end of the grace period.',
  fix: 'Add `--die-on-term` (or `die-on-term = true` in the ini) so SIGTERM shuts uWSGI down.',
  detect(m) {
    const n = m.chain.nodes.at(-1);
    if (!n || n.name !== 'uwsgi' || m.stopSignal.name !== 'SIGTERM') return [];
    if (n.argv.some((a) => a === '--die-on-term')) return [];
    const ini = n.argv.find((a, i) => n.argv[i - 1] === '--ini' || a.endsWith('.ini'));
    const iniText = ini ? m.dockerfile.final.state.copies.flatMap((c) => c.sources).filter((src) => src.endsWith('.ini')).map((src) => m.ctx.read(src) ?? '').join('\n') : '';
    if (/^\s*die-on-term\s*=\s*(true|1|yes)/m.test(iniText)) return [];
    const e = appendArgs(m, n, ['--die-on-term']);
    return [finding(this, n.location, 'uwsgi runs without --die-on-term, so SIGTERM reloads it instead of stopping it', {
      edits: e ? [e] : null,
      manual: e ? undefined : 'Add `--die-on-term` to the uwsgi command or `die-on-term = true` to its ini file.',
    })];
  },
} satisfies MigrateRule;
