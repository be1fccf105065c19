import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, relative } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { beforeAll, describe, expect, it } from 'vitest';
import { allCombinations } from '../../lib/registry/matrix.ts';
import { exec } from '../support/exec.ts';
import { generateProject } from '../support/generate.ts';

// Tomcat's servlet API as Debian ships it (the image has the same jar at /usr/local/tomcat/lib).
const SERVLET_API = '/usr/share/tomcat10/lib/servlet-api.jar';
const DOCKERFILE_KEYWORDS = new Set(['FROM', 'RUN', 'CMD', 'LABEL', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL']);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** One checker per kind of file, by extension: the real tool for that language. */
const CHECKERS: Record<string, (files: string[], dir: string) => ReturnType<typeof exec>> = {
  '.js': (files) => exec([process.execPath, '--check', ...files]),
  '.py': (files) => exec(['python3', '-c', 'import ast,sys\nfor f in sys.argv[1:]: ast.parse(open(f).read(), f)', ...files]),
  '.sh': (files) => exec(['shellcheck', '--severity=style', ...files]),
  '.java': (files) => exec(['javac', '--release', '17', '-Xlint:all', '-Xlint:-options', '-cp', SERVLET_API, '-d', mkdtempSync(join(tmpdir(), 'javac-')), ...files]),
  '.xml': (files) => exec(['python3', '-c', 'import sys, xml.dom.minidom as m\nfor f in sys.argv[1:]: m.parse(f)', ...files]),
  '.json': (files) => exec([process.execPath, '-e', 'for (const f of process.argv.slice(1)) JSON.parse(require("fs").readFileSync(f, "utf8"))', ...files]),
};

for (const c of allCombinations()) {
  describe(`${c.id} output passes the real tools`, () => {
    let dir = '';
    let files: string[] = [];
    beforeAll(async () => {
      dir = await generateProject({ runtime: c.runtime, model: c.model, init: c.init });
      files = filesUnder(dir);
    });

    it('every source file passes its language checker', () => {
      const checked: string[] = [];
      for (const [ext, check] of Object.entries(CHECKERS)) {
        const matching = files.filter((f) => extname(f) === ext);
        if (matching.length === 0) continue;
        const result = check(matching, dir);
        expect(result.status, `${matching.map((f) => relative(dir, f)).join(' ')}\n${result.output}`).toBe(0);
        checked.push(...matching.map((f) => relative(dir, f)));
      }
      // The service's own code must be among what was checked, not only config files.
      expect(checked.some((f) => /\.(js|py|sh|java)$/.test(f)), checked.join(' ')).toBe(true);
    });

    it('Dockerfile parses into known instructions', () => {
      const instructions = DockerfileParser.parse(readFileSync(join(dir, 'Dockerfile'), 'utf8')).getInstructions();
      expect(instructions.length).toBeGreaterThan(5);
      for (const i of instructions) expect(DOCKERFILE_KEYWORDS.has(i.getKeyword()), i.getKeyword()).toBe(true);
    });
  });
}
