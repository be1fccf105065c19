// Every shared real-world case: the right findings, the right minimal rewrite, nothing else touched.
import { describe, expect, it } from 'vitest';
import { memoryContext } from '../../lib/migrate/context.ts';
import { migrate } from '../../lib/migrate/analyze.ts';
import { RULES } from '../../lib/migrate/rules/index.ts';
import { caseExpect, caseFiles, caseNames, EFFECT_TAGS, hasShellcheck, shellcheckCodes } from './support.ts';

interface Expected {
  /** Rule ids before migrating; `*` marks an automatic fix. */
  readonly before: string[];
  /** Rule ids left after migrating (fixes that need a person). */
  readonly after: string[];
  /** For each changed file: the exact text replacements that turn the original into the rewrite. */
  readonly rewrite: Record<string, [string, string][]>;
}

const EXPECTED: Record<string, Expected> = {
  '01-node-npm-start-pid1': {
    before: ['PID1003*'], after: [],
    rewrite: { Dockerfile: [['CMD ["npm", "start"]', 'CMD ["node", "server.js"]']] },
  },
  '03-node-pid1-no-signal-handler': {
    before: ['PID1017*'], after: [],
    rewrite: {
      Dockerfile: [['EXPOSE 3000\n', 'EXPOSE 3000\nRUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*\nENTRYPOINT ["/usr/bin/tini", "--"]\n']],
    },
  },
  '05-python-uvicorn-shell-form-cmd': {
    before: ['PID1001*'], after: [],
    rewrite: { Dockerfile: [['CMD python app.py', 'CMD exec python app.py']] },
  },
  '08-python-pid1-no-sigterm-handler': {
    before: ['PID1017*'], after: [],
    rewrite: { Dockerfile: [['EXPOSE 5000\n', 'EXPOSE 5000\nSTOPSIGNAL SIGINT\n']] },
  },
  '11-jvm-spring-sh-c-java-opts': {
    before: ['PID1002*'], after: [],
    rewrite: { Dockerfile: [['"sh", "-c", "java ${JAVA_OPTS}', '"sh", "-c", "exec java ${JAVA_OPTS}']] },
  },
  '12-jvm-tomcat-startup-wrapper': {
    before: ['PID1001*', 'PID1004*'], after: [],
    rewrite: {
      Dockerfile: [['CMD /opt/startup.sh', 'CMD ["/opt/startup.sh"]']],
      'startup.sh': [['\n"$CATALINA_HOME/bin/catalina.sh" run', '\nexec "$CATALINA_HOME/bin/catalina.sh" run']],
    },
  },
  '15-bash-trap-deferred-by-foreground-tail': {
    before: ['PID1005*', 'PID1007'], after: [],
    rewrite: {
      'entrypoint.sh': [['tail -f logs/access.log\n', 'tail -f logs/access.log &\nmain_pid=$!\ntrap \'kill "$main_pid" 2>/dev/null; wait "$main_pid"\' EXIT\nwait "$main_pid"\n']],
    },
  },
  '16-bash-su-swallows-signal': {
    before: ['PID1010*'], after: [],
    rewrite: {
      'entrypoint.sh': [['exec su store -s /bin/sh -c "python3', 'exec setpriv --reuid=store --regid=store --init-groups /bin/sh -c "exec python3']],
    },
  },
  '19-supervisord-not-pid1': {
    before: ['PID1004*', 'PID1011*', 'PID1012'], after: ['PID1012'],
    rewrite: { 'init.sh': [['\nsupervisord -c', '\nexec supervisord -c']] },
  },
  '21-sh-detached-workers-tail': {
    // The script is PID 1 and its workers daemonize: the tail goes to the background, and a trap
    // TERMs every other process of the container and waits until they are gone.
    before: ['PID1007', 'PID1007', 'PID1008*'], after: [],
    rewrite: {
      'init_command.sh': [['tail -f logs/worker_default.log logs/worker_network.log\n', [
        'tail -f logs/worker_default.log logs/worker_network.log &',
        '# Added by graceful migrate: this script is PID 1 and services it starts daemonize, so it knows',
        '# none of their PIDs. On the stop signal, send TERM to every other process of the container',
        '# (kill -1 from PID 1 reaches them all, in any session), wait until none is left and exit 0.',
        '# After 25 s (keep it below the stop grace period) or on a second signal, SIGKILL the rest, exit 1.',
        'graceful_stop() {',
        "  trap 'kill -KILL -1 2>/dev/null; exit 1' TERM INT",
        '  kill -TERM -1 2>/dev/null || :',
        '  graceful_ticks=0',
        '  while kill -0 -1 2>/dev/null; do',
        '    if [ "$graceful_ticks" -ge 250 ]; then kill -KILL -1 2>/dev/null; exit 1; fi',
        '    sleep 0.1',
        '    graceful_ticks=$((graceful_ticks + 1))',
        '  done',
        '  exit 0',
        '}',
        'trap graceful_stop TERM INT',
        'wait',
        '',
      ].join('\n')]],
    },
  },
  '22-nginx-stopsignal-sigterm': {
    before: ['PID1014*'], after: [],
    rewrite: { Dockerfile: [['\nSTOPSIGNAL SIGTERM\n', '\nSTOPSIGNAL SIGQUIT\n']] },
  },
  '23-php-fpm-process-control-timeout': {
    before: ['PID1015*'], after: [],
    rewrite: {
      Dockerfile: [['EXPOSE 9000\n', "EXPOSE 9000\nRUN printf '[global]\\nprocess_control_timeout = 8s\\n' > /usr/local/etc/php-fpm.d/zz-graceful-stop.conf\n"]],
    },
  },
};

const ids = (fs: { ruleId: string; edits?: unknown }[], star: boolean) => fs.map((f) => f.ruleId + (star && f.edits ? '*' : '')).sort();

describe('shared cases', () => {
  it('every case directory has an expectation here', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(caseNames());
  });

  for (const name of caseNames()) {
    describe(name, () => {
      const files = caseFiles(name);
      const m = migrate(memoryContext(files));
      const want = EXPECTED[name];

      it('finds a rule for every cause tag in expect.json', () => {
        const names = new Set(m.before.findings.map((f) => f.ruleName));
        const causes = caseExpect(name).problems.filter((t) => !EFFECT_TAGS.has(t));
        expect(causes.length).toBeGreaterThan(0);
        for (const tag of causes) expect(names, `tag ${tag}`).toContain(tag);
      });

      it('reports exactly the expected findings before and after', () => {
        expect(ids(m.before.findings, true)).toEqual([...want!.before].sort());
        expect(ids(m.after.findings, false)).toEqual([...want!.after].sort());
      });

      it('rewrites with the minimal edits and leaves every other byte alone', () => {
        expect([...m.changed.keys()].sort()).toEqual(Object.keys(want!.rewrite).sort());
        for (const [file, replacements] of Object.entries(want!.rewrite)) {
          let expected = files[file]!;
          for (const [from, to] of replacements) {
            expect(expected.split(from).length, `${file}: '${from}' occurs once`).toBe(2);
            expected = expected.replace(from, () => to);
          }
          expect(m.changed.get(file)).toBe(expected);
          expect(m.original.get(file)).toBe(files[file]);
        }
      });

      it.runIf(hasShellcheck)('rewritten scripts add no shellcheck warnings', () => {
        for (const [file, text] of m.changed) {
          if (!file.endsWith('.sh')) continue;
          const dialect = text.startsWith('#!/bin/bash') ? 'bash' : 'sh';
          const introduced = shellcheckCodes(text, dialect).filter((c) => !shellcheckCodes(files[file]!, dialect).includes(c));
          expect(introduced, file).toEqual([]);
        }
      });

      it('migrating the result again changes nothing', () => {
        const again = migrate(memoryContext({ ...files, ...Object.fromEntries(m.changed) }));
        expect(again.changed.size).toBe(0);
      });
    });
  }

  it('every rule id is unique and follows PID1 + three digits', () => {
    const seen = RULES.map((r) => r.id);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of seen) expect(id).toMatch(/^PID1\d{3}$/);
  });
});
