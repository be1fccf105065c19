import { finding, type MigrateRule } from './util.ts';
import { addInitEdits } from './add-init.ts';

const SPAWNS = /\bsubprocess\.|os\.system\(|os\.popen\(|os\.spawn|child_process|\bexecSync\(|\bspawn\(|Runtime\.getRuntime\(\)\.exec|ProcessBuilder/;

export const noZombieReaping = {
  id: 'PID1018',
  name: 'no-zombie-reaping',
  severity: 'warning',
  title: 'PID 1 starts processes but never reaps orphans',
  why: 'Orphaned grandchildren are re-parented to PID 1; an app that is not an init never calls wait() for them, so `<defunct>` zombies pile up until the PID limit is hit.',
  fix: 'Run an init as PID 1 in front of the app: `ENTRYPOINT ["tini", "--"]` (install tini) or `docker run --init`.',
  detect(m) {
    const p = m.pid1;
    if (!p || p.kind !== 'program' || !p.entry || !SPAWNS.test(p.entry.text)) return [];
    const edits = addInitEdits(m);
    return [finding(this, p.location, `${p.entry.path} starts subprocesses and is PID 1 without an init to reap orphans`, {
      edits,
      manual: edits ? undefined : 'Install tini and add `ENTRYPOINT ["tini", "--"]` (or run with `--init`).',
    })];
  },
} satisfies MigrateRule;
