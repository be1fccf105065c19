import type { ModelDescriptor, ModelPlan, RuntimeId } from '../types.ts';

/** The master of each runtime: the file it runs from and the argv that starts it. */
const masters: Partial<Record<RuntimeId, { source: string; destination: string; argv: string[]; what: string }>> = {
  node: { source: 'models/workers/node/cluster.js.ejs', destination: 'cluster.js', argv: ['node', 'cluster.js'], what: 'the cluster primary' },
  python: { source: 'models/workers/python/prefork.py.ejs', destination: 'prefork.py', argv: ['python3', 'prefork.py'], what: 'the prefork master' },
  bash: { source: 'models/workers/bash/pool.sh.ejs', destination: 'pool.sh', argv: ['bash', '/app/pool.sh'], what: 'the pool master' },
};

export const workers = {
  id: 'workers',
  title: 'forking server',
  summary: 'A master that forks workers; the stop reaches all, the master exits last.',
  available: true,
  inits: ['tini', 'dumb-init'],
  runtimes: ['node', 'python', 'bash'],
  plan: (runtime, { init }): ModelPlan => {
    const master = masters[runtime.id];
    if (!master) throw new Error(`the workers model has no master for ${runtime.id}`);
    return {
      // Node's cluster workers share the primary's process group: dumb-init must signal only the primary,
      // which passes each stop signal on once (python and bash workers have groups of their own).
      ...(init === 'dumb-init' && runtime.id === 'node' ? { initArgv: ['/usr/bin/dumb-init', '--single-child', '--'] } : {}),
      cmd: master.argv,
      files: [{ source: master.source, destination: master.destination }],
      partial: 'model-workers',
      env: { WORKERS: '2' },
      exitTable: [
        { situation: 'graceful stop after SIGTERM or SIGINT, every worker exited 0', status: '0' },
        { situation: 'a worker exited N ≠ 0 during the stop (its cleanup failed)', status: 'N (the first such worker)' },
        { situation: "the master's own cleanup hook failed", status: '1' },
        { situation: 'a worker ended on its own with N ≠ 0 (the others drain, then the master exits)', status: 'N' },
        { situation: 'a worker ended on its own with 0', status: '1 (it must not end: the orchestrator should restart)' },
        { situation: 'a worker was killed by signal S', status: '128 + S' },
        { situation: 'a second stop signal S during the stop', status: '128 + S, at once' },
        { situation: 'drain budget + CLEANUP_SECONDS spent: the master SIGKILLed its workers', status: '1' },
      ],
      why: {
        entrypoint: `Exec form: ${init} is PID 1 and starts ${master.what}, no shell in between to swallow the signal.`,
        cmd: `${master.what[0]!.toUpperCase()}${master.what.slice(1)}: passes each stop signal to its WORKERS workers once, waits for all, exits 0 after a graceful stop.`,
      },
    };
  },
} as const satisfies ModelDescriptor;
