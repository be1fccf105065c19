import { finding, type MigrateRule } from './util.ts';
import { instructionInsertPoint, insertLine } from './stop-insert.ts';
import { locate } from '../types.ts';
import type { ImageModel } from '../model.ts';

// Below Docker's default 10 s grace period, so php-fpm finishes draining before SIGKILL.
export const PHP_FPM_DRAIN_SECONDS = 8;

function runsPhpFpm(m: ImageModel): boolean {
  const last = m.chain.nodes.at(-1);
  if (last) return /^php-fpm[0-9.]*$/.test(last.name);
  return /php:[^@]*fpm/.test(m.dockerfile.final.baseImage);
}

/** Context files copied into a php-fpm config location. */
function fpmConfigs(m: ImageModel): { path: string; text: string }[] {
  return m.dockerfile.final.state.copies
    .filter((c) => /php-fpm|php\/.*fpm|fpm\.d|pool\.d/.test(c.dest))
    .flatMap((c) => c.sources.flatMap((src) => (m.ctx.isDir(src) ? m.ctx.list(src) : [src])))
    .flatMap((p) => {
      const text = m.ctx.read(p);
      return text === undefined ? [] : [{ path: p, text }];
    });
}

export const stopTimeoutConfig = {
  id: 'PID1015',
  name: 'stop-timeout-config',
  severity: 'error',
  title: 'php-fpm does not wait for busy workers on stop',
  why: '`process_control_timeout` defaults to 0, so on the graceful SIGQUIT the php-fpm master exits at once and, being PID 1, takes the busy workers and their requests down with it.',
  fix: `Set \`process_control_timeout\` (e.g. ${PHP_FPM_DRAIN_SECONDS}s, below the stop grace period) in the [global] section.`,
  detect(m) {
    if (!runsPhpFpm(m)) return [];
    const configs = fpmConfigs(m);
    const all = [...configs.map((c) => c.text), m.runText].join('\n');
    const set = /process_control_timeout\s*=\s*([0-9]+)/.exec(all);
    if (set && Number(set[1]) > 0) return [];
    const official = /^(docker\.io\/)?(library\/)?php:[^@]*fpm/.test(m.dockerfile.final.baseImage);
    const line = `RUN printf '[global]\\nprocess_control_timeout = ${PHP_FPM_DRAIN_SECONDS}s\\n' > /usr/local/etc/php-fpm.d/zz-graceful-stop.conf`;
    return [finding(this, locate(m.dockerfile.file.path, m.dockerfile.file.text, m.dockerfile.offsetOf(m.dockerfile.final.fromLine - 1, 0)),
      set ? 'process_control_timeout is 0: php-fpm does not wait for busy workers on stop' : 'process_control_timeout is not set (default 0): php-fpm does not wait for busy workers on stop', {
        edits: official && !set ? [insertLine(m, instructionInsertPoint(m, true), line)] : null,
        manual: official && !set ? undefined : `Set \`process_control_timeout = ${PHP_FPM_DRAIN_SECONDS}s\` in the [global] section of php-fpm.conf.`,
      })];
  },
} satisfies MigrateRule;
