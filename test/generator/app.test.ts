import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import helpers from 'yeoman-test';
import { allCombinations } from '../../lib/registry/matrix.ts';
import { runtimes } from '../../lib/registry/runtimes/index.ts';
import { inits } from '../../lib/registry/inits/index.ts';
import { models } from '../../lib/registry/models/index.ts';
import { execFormArgv, readImageRunSpec } from '../support/dockerfile.ts';
import type AppGenerator from '../../generators/app/index.ts';
import { APP_GENERATOR, generateProject, runApp } from '../support/generate.ts';

const RUN_INSTRUCTIONS = ['CMD', 'ENTRYPOINT'];

for (const c of allCombinations()) {
  describe(c.id, () => {
    const runtime = runtimes[c.runtime];
    // The model decides what runs behind the init (the single model: the runtime's app itself).
    const plan = models[c.model].plan?.(runtime, { init: c.init });
    const generate = () =>
      runApp({ yes: true, name: 'demo', runtime: c.runtime, model: c.model, init: c.init });

    it('writes the expected files and stores the answers', async () => {
      const result = await generate();
      result.assertFile(['Dockerfile', '.dockerignore', 'SIGNALS.md', '.yo-rc.json', ...runtime.files.map((f) => f.destination), ...(plan?.files ?? []).map((f) => f.destination)]);
      const stored = JSON.parse(readFileSync(join(result.cwd, '.yo-rc.json'), 'utf8'))['generator-graceful'];
      expect(stored).toMatchObject({ name: 'demo', runtime: c.runtime, model: c.model, init: c.init, drain: 5, grace: 10 });
      expect(result.getSnapshot()).toMatchSnapshot();
      for (const [path, file] of Object.entries(result.getSnapshot())) {
        expect(file.contents ?? '', `${path} has HTML escapes`).not.toMatch(/&#\d+;|&(quot|amp|lt|gt);/);
      }
    });

    it('runs PID 1 in exec form with the init in front of the app', async () => {
      const result = await generate();
      const dockerfile = join(result.cwd, 'Dockerfile');
      const text = readFileSync(dockerfile, 'utf8');
      for (const i of DockerfileParser.parse(text).getInstructions()) {
        if (RUN_INSTRUCTIONS.includes(i.getKeyword())) expect(execFormArgv(i), `${i.getKeyword()} line ${i.getRange().start.line + 1}`).toBeDefined();
        if (i.getKeyword() === 'HEALTHCHECK') expect(i.getArguments()[0]?.getValue()).toMatch(/^--|^CMD$/);
      }
      if (runtime.http) expect(text).toMatch(/^HEALTHCHECK .* CMD \["/m);
      else expect(text).not.toMatch(/^HEALTHCHECK/m);
      const spec = readImageRunSpec(dockerfile);
      expect(spec.pid1).toEqual([...(plan?.initArgv ?? inits[c.init].argvPrefix), ...(plan?.entrypoint ?? []), ...(plan?.cmd ?? runtime.appArgv)]);
      expect(spec.stopSignal).toBe(runtime.stopSignal);
      if (plan?.dropsPrivileges) {
        // It starts as root only so that its entrypoint can prepare, then drops to the service user itself.
        expect(spec.user).toBeUndefined();
      } else {
        expect(spec.user).toBe(runtime.user.name);
        expect(spec.user).not.toMatch(/^(root|0)$/);
      }
      for (const image of spec.from) {
        if (image.includes(' ') || image === 'build') continue;
        expect(image, 'base images are pinned to a tag').toMatch(/^[a-z0-9./-]+:[A-Za-z0-9._-]+$/);
        expect(image).not.toMatch(/:latest$/);
      }
    });

    it('explains every instruction in a comment on the line above', async () => {
      const result = await generate();
      const lines = readFileSync(join(result.cwd, 'Dockerfile'), 'utf8').split('\n');
      for (const i of DockerfileParser.parse(lines.join('\n')).getInstructions()) {
        const line = i.getRange().start.line;
        expect(lines[line - 1], `line ${line + 1} (${i.getKeyword()}) needs a why-comment above it`).toMatch(/^#\s+\S/);
      }
    });

    it('is idempotent: a re-run from .yo-rc.json asks nothing and changes nothing', async () => {
      const dir = await generateProject({ runtime: c.runtime, model: c.model, init: c.init });
      const read = () => Object.fromEntries(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).isFile() ? readFileSync(join(dir, f), 'utf8') : 'dir']));
      const before = read();
      const second = await helpers.run<AppGenerator>(APP_GENERATOR).cd(dir);
      expect(second.askedQuestions).toEqual([]);
      expect(read()).toEqual(before);
    });
  });
}
