import { finding, commandLocation, topLevel, type MigrateRule } from './util.ts';

export const pipeEntrypoint = {
  id: 'PID1009',
  name: 'pipe-entrypoint',
  severity: 'error',
  title: 'The main command is part of a pipeline',
  why: 'In `app | tee log` the shell waits for the whole pipeline and stays PID 1; it does not forward the stop signal to `app`, which is SIGKILLed.',
  fix: 'In bash, redirect the shell\'s output first (`exec > >(tee -a log) 2>&1`) and then `exec app`; otherwise log to stdout and let the runtime collect it.',
  detect(m) {
    return m.chain.nodes.flatMap((n) => {
      const s = n.script;
      if (n.kind !== 'shell' || !s?.parsed || !s.final) return [];
      const top = topLevel(s);
      const i = top.indexOf(s.final);
      if (s.final.before !== '|' && s.final.before !== '|&') return [];
      let j = i;
      while (j > 0 && (top[j]!.before === '|' || top[j]!.before === '|&')) j--;
      const head = top[j]!;
      return [finding(this, commandLocation(s, head), `\`${head.words[0]?.value ?? head.kind}\` runs in a pipeline into \`${s.final.words[0]?.value}\`; the shell waits for the pipeline and stays PID 1`, {
        manual: s.dialect === 'bash'
          ? 'Replace the pipeline with `exec > >(tee -a <log>) 2>&1` followed by `exec <app>`.'
          : 'Drop the pipe and log to stdout, or switch the script to bash and use `exec > >(tee -a <log>) 2>&1; exec <app>`.',
      })];
    });
  },
} satisfies MigrateRule;
