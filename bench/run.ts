// npm run bench: per combination, stop latency of the generated PID 1 (idle and with a request in
// flight) against the naive shell-form variant of the same service measured in the same run, and
// PID 1's resident memory per init. Prints a markdown table; ratios are naive / generated.
import { allCombinations } from '../lib/registry/matrix.ts';
import { runtimes } from '../lib/registry/runtimes/index.ts';
import type { StopReport } from '../lib/verify/report.ts';
import { generateProject } from '../test/support/generate.ts';
import { freePort } from '../test/support/ports.ts';
import { stageProject, stopStaged, type StagedProject } from '../test/support/run-generated.ts';
import { serviceReadiness } from '../test/support/readiness.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const NAIVE_GRACE = 2;
const SLOW_MS = 1000;
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)]!;
};

const readiness = (project: StagedProject) => serviceReadiness(project.port, 60_000);

function inflight(project: StagedProject) {
  return project.port === undefined
    ? { env: { JOB_SECONDS: String(SLOW_MS / 1000) } }
    : { inflight: { url: `http://127.0.0.1:${project.port}/slow?ms=${SLOW_MS}`, expectStatus: 200 } };
}

function stopMs(report: StopReport): number {
  if (report.stopMs === null) throw new Error(`no stop time: ${report.notes.join('; ')}`);
  return report.stopMs;
}

const rssKb = (report: StopReport) => report.treeBeforeStop.find((p) => p.nsPid === 1)?.rssKb ?? NaN;

async function measure(project: StagedProject, argv?: string[], grace = 10) {
  const idle: number[] = [];
  const busy: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const a = await stopStaged(project, { ...(argv ? { argv } : {}), readiness: readiness(project), grace });
    idle.push(stopMs(a.report));
    rss.push(rssKb(a.report));
    const b = await stopStaged(project, { ...(argv ? { argv } : {}), readiness: readiness(project), grace, ...inflight(project) });
    busy.push(stopMs(b.report));
  }
  return { idle: median(idle), busy: median(busy), rss: median(rss) };
}

async function staged(runtime: string, model: string, init: string) {
  const port = runtimes[runtime as keyof typeof runtimes].http ? await freePort() : undefined;
  const dir = await generateProject({ runtime, model, init, ...(port ? { port } : {}) });
  return stageProject(dir, runtime, port);
}

const naive = new Map<string, { idle: number; busy: number }>();
const rows: string[] = [];
for (const c of allCombinations()) {
  if (only && !only.test(c.id)) continue;
  if (!naive.has(c.runtime)) {
    const base = await staged(c.runtime, 'single', 'none');
    // The same service under shell-form CMD: dash is PID 1 and ignores SIGTERM until the grace SIGKILL.
    const shellForm = ['/bin/sh', '-c', base.spec.pid1.join(' ')];
    const m = await measure(base, shellForm, NAIVE_GRACE);
    naive.set(c.runtime, m);
  }
  const baseline = naive.get(c.runtime)!;
  const m = await measure(await staged(c.runtime, c.model, c.init));
  const ratio = (n: number, g: number) => `${(n / g).toFixed(1)}×`;
  rows.push(
    `| ${c.id} | ${m.idle.toFixed(0)} | ${baseline.idle.toFixed(0)} | ${ratio(baseline.idle, m.idle)} | ${m.busy.toFixed(0)} | ${baseline.busy.toFixed(0)} | ${(m.rss / 1024).toFixed(1)} |`,
  );
  process.stderr.write(`${c.id} done\n`);
}

console.log(`Stop latency, medians of ${RUNS} runs (pidns backend); naive = the same service under shell-form CMD, grace ${NAIVE_GRACE} s.`);
console.log(`In flight = one ${SLOW_MS} ms request (bash: a ${SLOW_MS / 1000} s job) open at the stop signal.\n`);
console.log('| combination | idle stop ms | naive idle ms | naive/generated | in-flight stop ms | naive in-flight ms | PID 1 RSS MiB |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
