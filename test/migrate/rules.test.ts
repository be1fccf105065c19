// One positive and one negative example per rule, from small inputs; fixes checked textually.
import { describe, expect, it } from 'vitest';
import { memoryContext } from '../../lib/migrate/context.ts';
import { migrate } from '../../lib/migrate/analyze.ts';
import { RULES } from '../../lib/migrate/rules/index.ts';
import { hasShellcheck, shellcheckCodes } from './support.ts';

interface Example {
  readonly files: Record<string, string>;
  /** Expected text of files after migrating (only those the fix changes). */
  readonly fixed?: Record<string, string>;
}
interface RuleCase {
  readonly rule: string;
  readonly positive: Example[];
  readonly negative: Example[];
}

const D = (lines: string[]) => lines.join('\n') + '\n';
const PY = 'FROM python:3.12-slim';
const NODE = 'FROM node:22-slim';
const HANDLED_PY = 'import signal, sys\nsignal.signal(signal.SIGTERM, lambda *a: sys.exit(0))\n';
const SUP_CONF = '[supervisord]\nnodaemon=true\n\n[program:a]\ncommand=python3 a.py\n';
const FAIL_FAST = '\n[eventlistener:quit]\ncommand=x\nevents=PROCESS_STATE_FATAL\n';

/** PID1008's stop-everything block for a PID-1 script whose services daemonize (before its `wait`). */
const STOP_ALL = (indent: string, signals: string) => [
  '# Added by graceful migrate: this script is PID 1 and services it starts daemonize, so it knows',
  '# none of their PIDs. On the stop signal, send TERM to every other process of the container',
  '# (kill -1 from PID 1 reaches them all, in any session), wait until none is left and exit 0.',
  '# After 25 s (keep it below the stop grace period) or on a second signal, SIGKILL the rest, exit 1.',
  'graceful_stop() {',
  `  trap 'kill -KILL -1 2>/dev/null; exit 1' ${signals}`,
  '  kill -TERM -1 2>/dev/null || :',
  '  graceful_ticks=0',
  '  while kill -0 -1 2>/dev/null; do',
  '    if [ "$graceful_ticks" -ge 250 ]; then kill -KILL -1 2>/dev/null; exit 1; fi',
  '    sleep 0.1',
  '    graceful_ticks=$((graceful_ticks + 1))',
  '  done',
  '  exit 0',
  '}',
  `trap graceful_stop ${signals}`,
].map((l) => `${indent}${l}\n`).join('');

const CASES: RuleCase[] = [
  {
    rule: 'PID1001',
    positive: [
      { files: { Dockerfile: D([NODE, 'COPY s.js .', 'CMD node s.js']) }, fixed: { Dockerfile: D([NODE, 'COPY s.js .', 'CMD ["node", "s.js"]']) } },
      { files: { Dockerfile: D([PY, 'ENTRYPOINT cd /app && python -u app.py --port "$PORT"']) }, fixed: { Dockerfile: D([PY, 'ENTRYPOINT cd /app && exec python -u app.py --port "$PORT"']) } },
    ],
    negative: [
      { files: { Dockerfile: D([PY, 'CMD exec python app.py --port $PORT']) } },
      { files: { Dockerfile: D([PY, 'CMD ["python", "app.py"]']) } },
    ],
  },
  {
    rule: 'PID1002',
    positive: [
      { files: { Dockerfile: D(['FROM eclipse-temurin:21', 'ENTRYPOINT ["/bin/bash", "-c", "java $OPTS -jar app.jar"]']) },
        fixed: { Dockerfile: D(['FROM eclipse-temurin:21', 'ENTRYPOINT ["/bin/bash", "-c", "exec java $OPTS -jar app.jar"]']) } },
      { files: { Dockerfile: D([PY, 'CMD ["sh", "-c", "python migrate.py && python app.py"]']) },
        fixed: { Dockerfile: D([PY, 'CMD ["sh", "-c", "python migrate.py && exec python app.py"]']) } },
    ],
    negative: [{ files: { Dockerfile: D(['FROM eclipse-temurin:21', 'ENTRYPOINT ["sh", "-c", "exec java $OPTS -jar app.jar"]']) } }],
  },
  {
    rule: 'PID1003',
    positive: [
      { files: { Dockerfile: D([NODE, 'WORKDIR /app', 'COPY . .', 'CMD ["yarn", "run", "serve"]']), 'package.json': '{"scripts":{"serve":"node dist/main.js"}}' },
        fixed: { Dockerfile: D([NODE, 'WORKDIR /app', 'COPY . .', 'CMD ["node", "dist/main.js"]']) } },
      { files: { Dockerfile: D([NODE, 'WORKDIR /app', 'COPY . .', 'ENTRYPOINT ["/app/run.sh"]']), 'run.sh': '#!/bin/sh\nset -e\nnpm start\n', 'package.json': '{"scripts":{"start":"node server.js"}}' },
        fixed: { 'run.sh': '#!/bin/sh\nset -e\nexec node server.js\n' } },
      { files: { Dockerfile: D([NODE, 'WORKDIR /app', 'COPY . .', 'CMD ["npm", "run", "start:prod"]']), 'package.json': '{"scripts":{"start:prod":"NODE_ENV=production node dist/main.js"}}' },
        fixed: { Dockerfile: D([NODE, 'WORKDIR /app', 'COPY . .', 'CMD ["env", "NODE_ENV=production", "node", "dist/main.js"]']) } },
      // A start script with shell features cannot be inlined: reported, not rewritten.
      { files: { Dockerfile: D([NODE, 'WORKDIR /app', 'COPY . .', 'CMD ["npm", "start"]']), 'package.json': '{"scripts":{"start":"node a.js && node b.js"}}' } },
    ],
    negative: [{ files: { Dockerfile: D([NODE, 'WORKDIR /app', 'COPY . .', 'CMD ["node", "server.js"]']), 'server.js': "process.on('SIGTERM', () => process.exit(0));\n" } }],
  },
  {
    rule: 'PID1004',
    positive: [
      { files: { Dockerfile: D([PY, 'COPY entry.sh /entry.sh', 'ENTRYPOINT ["/entry.sh"]']), 'entry.sh': '#!/bin/sh\necho setup\n  gunicorn app:app\n' },
        fixed: { 'entry.sh': '#!/bin/sh\necho setup\n  exec gunicorn app:app\n' } },
      // The script ends in one of its own functions: `exec` cannot run that, so it is left to a person.
      { files: { Dockerfile: D([PY, 'COPY entry.sh /entry.sh', 'ENTRYPOINT ["/entry.sh"]']), 'entry.sh': '#!/bin/sh\nmain() {\n  gunicorn app:app\n}\nmain "$@"\n' } },
    ],
    negative: [{ files: { Dockerfile: D([PY, 'COPY entry.sh /entry.sh', 'ENTRYPOINT ["/entry.sh"]']), 'entry.sh': '#!/bin/sh\necho setup\nexec gunicorn app:app\n' } }],
  },
  {
    rule: 'PID1005',
    positive: [{ files: { Dockerfile: D([PY, 'COPY e.sh /e.sh', 'CMD ["/e.sh"]']), 'e.sh': '#!/bin/bash\ntrap "echo bye; exit 0" TERM\nsleep infinity\n' },
      fixed: { 'e.sh': '#!/bin/bash\ntrap "echo bye; exit 0" TERM\nsleep infinity &\nmain_pid=$!\ntrap \'kill "$main_pid" 2>/dev/null; wait "$main_pid"\' EXIT\nwait "$main_pid"\n' } }],
    negative: [{ files: { Dockerfile: D([PY, 'COPY e.sh /e.sh', 'CMD ["/e.sh"]']), 'e.sh': '#!/bin/bash\ntrap "kill $pid; wait $pid" TERM\npython3 app.py &\npid=$!\nwait $pid\n' } }],
  },
  {
    rule: 'PID1006',
    positive: [{ files: { Dockerfile: D([PY, 'COPY e.sh /e.sh', 'CMD ["/e.sh"]']), 'e.sh': '#!/bin/sh\ntrap "rm -f /tmp/lock" TERM\nexec python3 app.py\n' } }],
    negative: [{ files: { Dockerfile: D([PY, 'COPY e.sh /e.sh', 'CMD ["/e.sh"]']), 'e.sh': '#!/bin/sh\nrm -f /tmp/lock\nexec python3 app.py\n' } }],
  },
  {
    rule: 'PID1007',
    positive: [{ files: { Dockerfile: D(['FROM debian:12', 'COPY e.sh /e.sh', 'CMD ["/e.sh"]']), 'e.sh': '#!/bin/sh\nservice ssh start\nexec nginx -g "daemon off;"\n' } }],
    negative: [{ files: { Dockerfile: D(['FROM debian:12', 'COPY e.sh /e.sh', 'CMD ["/e.sh"]']), 'e.sh': '#!/bin/sh\nexec nginx -g "daemon off;"\n' } }],
  },
  {
    rule: 'PID1008',
    positive: [
      { files: { Dockerfile: D([PY, 'COPY e.sh /e.sh', 'CMD ["/e.sh"]']), 'e.sh': '#!/bin/sh\npython3 worker.py &\npython3 web.py  &  # web\ntail -f /dev/null\n' },
        fixed: { 'e.sh': '#!/bin/sh\npython3 worker.py & job_pids="$job_pids $!"\npython3 web.py  & job_pids="$job_pids $!"  # web\ntail -f /dev/null & job_pids="$job_pids $!"\ntrap \'kill -TERM $job_pids 2>/dev/null\' TERM INT\n# A trapped signal ends the first wait; the second lasts until every job has exited.\nwait\nwait\n' } },
      // Daemonized workers have no PID to forward to; the script is PID 1, so its trap stops every other process.
      { files: { Dockerfile: D([PY, 'COPY e.sh /e.sh', 'CMD ["/e.sh"]']), 'e.sh': '#!/bin/sh\ncelery -A app worker --detach\ntail -f /dev/null\n' },
        fixed: { 'e.sh': `#!/bin/sh\ncelery -A app worker --detach\ntail -f /dev/null &\n${STOP_ALL('', 'TERM INT')}wait\n` } },
      // bash, a `while true` keep-alive with a comment, the image's own stop signal, indentation kept.
      { files: { Dockerfile: D(['FROM debian:12', 'STOPSIGNAL SIGQUIT', 'COPY e.sh /e.sh', 'CMD ["/e.sh"]']), 'e.sh': '#!/bin/bash\nservice cron start\n  while true; do sleep 60; done  # keep alive\n' },
        fixed: { 'e.sh': `#!/bin/bash\nservice cron start\n  while true; do sleep 60; done &  # keep alive\n${STOP_ALL('  ', 'QUIT INT')}  wait\n` } },
      // A daemon and an `&` job behind a bare `wait`: the trap goes in front of the wait.
      { files: { Dockerfile: D([PY, 'COPY e.sh web.py /', 'CMD ["/e.sh"]']), 'e.sh': '#!/bin/sh\nredis-server --daemonize yes\npython3 /web.py &\nwait\n' },
        fixed: { 'e.sh': `#!/bin/sh\nredis-server --daemonize yes\npython3 /web.py &\n${STOP_ALL('', 'TERM INT')}wait\n` } },
      // An init is PID 1, not the script: \`kill -1\` from the script would not be PID 1's; reported only.
      { files: { Dockerfile: D([PY, 'COPY e.sh /e.sh', 'ENTRYPOINT ["tini", "--", "/e.sh"]']), 'e.sh': '#!/bin/sh\ncelery -A app worker --detach\ntail -f /dev/null\n' } },
      // A keep-alive that reads stdin (a background job has none): reported only.
      { files: { Dockerfile: D([PY, 'COPY e.sh /e.sh', 'CMD ["/e.sh"]']), 'e.sh': '#!/bin/sh\ncelery -A app worker --detach\ncat\n' } },
      // The keep-alive ends an `&&` list: a `&` would background the whole list; reported only.
      { files: { Dockerfile: D([PY, 'COPY e.sh /e.sh', 'CMD ["/e.sh"]']), 'e.sh': '#!/bin/sh\ncelery -A app worker --detach &&\nsleep infinity\n' } },
    ],
    negative: [{ files: { Dockerfile: D([PY, 'COPY e.sh /e.sh', 'CMD ["/e.sh"]']), 'e.sh': '#!/bin/sh\npython3 worker.py &\nw=$!\ntrap \'kill $w; wait $w\' TERM\nwait $w\n' } }],
  },
  {
    rule: 'PID1009',
    positive: [{ files: { Dockerfile: D([PY, 'COPY e.sh /e.sh', 'CMD ["/e.sh"]']), 'e.sh': '#!/bin/bash\npython3 app.py 2>&1 | tee -a /var/log/app.log\n' } }],
    negative: [{ files: { Dockerfile: D([PY, 'COPY e.sh /e.sh', 'CMD ["/e.sh"]']), 'e.sh': '#!/bin/bash\nexec > >(tee -a /var/log/app.log) 2>&1\nexec python3 app.py\n' } }],
  },
  {
    rule: 'PID1010',
    positive: [
      { files: { Dockerfile: D(['FROM ubuntu:24.04', 'COPY e.sh /e.sh', 'CMD ["/e.sh"]']), 'e.sh': '#!/bin/sh\nchown app /data\nsudo -u app -E node server.js\n' },
        fixed: { 'e.sh': '#!/bin/sh\nchown app /data\nexec setpriv --reuid=app --regid=app --init-groups node server.js\n' } },
      { files: { Dockerfile: D([PY, 'RUN apt-get update && apt-get install -y gosu', 'COPY e.sh /e.sh', 'CMD ["/e.sh"]']), 'e.sh': "#!/bin/sh\nexec su app -c 'python3 app.py'\n" },
        fixed: { 'e.sh': "#!/bin/sh\nexec gosu app /bin/sh -c 'exec python3 app.py'\n" } },
      // Alpine has no setpriv: reported with the manual fix.
      { files: { Dockerfile: D(['FROM alpine:3.20', 'COPY e.sh /e.sh', 'CMD ["/e.sh"]']), 'e.sh': "#!/bin/sh\nexec su app -c 'python3 app.py'\n" } },
    ],
    negative: [{ files: { Dockerfile: D([PY, 'COPY e.sh /e.sh', 'CMD ["/e.sh"]']), 'e.sh': '#!/bin/sh\nexec gosu app python3 app.py\n', 'app.py': HANDLED_PY } }],
  },
  {
    rule: 'PID1011',
    positive: [{ files: { Dockerfile: D([PY, 'COPY s.conf /etc/supervisor/conf.d/s.conf', 'CMD ["bash", "-c", "mkdir -p /run/x && supervisord -c /etc/supervisor/conf.d/s.conf"]']), 's.conf': SUP_CONF + FAIL_FAST },
      fixed: { Dockerfile: D([PY, 'COPY s.conf /etc/supervisor/conf.d/s.conf', 'CMD ["bash", "-c", "mkdir -p /run/x && exec supervisord -c /etc/supervisor/conf.d/s.conf"]']) } }],
    negative: [{ files: { Dockerfile: D([PY, 'COPY s.conf /etc/s.conf', 'CMD ["supervisord", "-c", "/etc/s.conf"]']), 's.conf': SUP_CONF + FAIL_FAST } }],
  },
  {
    rule: 'PID1012',
    positive: [{ files: { Dockerfile: D([PY, 'COPY s.conf /etc/s.conf', 'CMD ["supervisord", "-c", "/etc/s.conf"]']), 's.conf': SUP_CONF } }],
    negative: [{ files: { Dockerfile: D([PY, 'COPY s.conf /etc/s.conf', 'CMD ["supervisord", "-c", "/etc/s.conf"]']), 's.conf': SUP_CONF + FAIL_FAST } }],
  },
  {
    rule: 'PID1013',
    positive: [{ files: { Dockerfile: D([PY, 'COPY s.conf /etc/supervisor/supervisord.conf', 'CMD ["supervisord"]']), 's.conf': '[program:a]\ncommand=a\n' + FAIL_FAST },
      fixed: { Dockerfile: D([PY, 'COPY s.conf /etc/supervisor/supervisord.conf', 'CMD ["supervisord", "-n"]']) } }],
    negative: [{ files: { Dockerfile: D([PY, 'COPY s.conf /etc/supervisor/supervisord.conf', 'CMD ["supervisord", "-n"]']), 's.conf': '[program:a]\ncommand=a\n' + FAIL_FAST } }],
  },
  {
    rule: 'PID1014',
    positive: [
      { files: { Dockerfile: D(['FROM debian:12', 'RUN apt-get install -y nginx', 'CMD ["nginx", "-g", "daemon off;"]']) },
        fixed: { Dockerfile: D(['FROM debian:12', 'RUN apt-get install -y nginx', 'STOPSIGNAL SIGQUIT', 'CMD ["nginx", "-g", "daemon off;"]']) } },
      { files: { Dockerfile: D(['FROM debian:12', 'STOPSIGNAL 15', 'CMD ["apache2ctl", "-D", "FOREGROUND"]']) },
        fixed: { Dockerfile: D(['FROM debian:12', 'STOPSIGNAL SIGWINCH', 'CMD ["apache2ctl", "-D", "FOREGROUND"]']) } },
    ],
    negative: [
      { files: { Dockerfile: D(['FROM nginx:1.27', 'COPY site /usr/share/nginx/html']) } },
      { files: { Dockerfile: D(['FROM httpd:2.4', 'CMD ["httpd-foreground"]']) } },
    ],
  },
  {
    rule: 'PID1015',
    positive: [{ files: { Dockerfile: D(['FROM php:8.3-fpm', 'USER www-data']) },
      fixed: { Dockerfile: D(['FROM php:8.3-fpm', "RUN printf '[global]\\nprocess_control_timeout = 8s\\n' > /usr/local/etc/php-fpm.d/zz-graceful-stop.conf", 'USER www-data']) } }],
    negative: [{ files: { Dockerfile: D(['FROM php:8.3-fpm', 'COPY zz.conf /usr/local/etc/php-fpm.d/zz.conf']), 'zz.conf': '[global]\nprocess_control_timeout = 20s\n' } }],
  },
  {
    rule: 'PID1016',
    positive: [
      { files: { Dockerfile: D(['FROM eclipse-temurin:21', 'ENV JAVA_OPTS="-Xrs -Xmx1g"', 'ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar a.jar"]']) },
        fixed: { Dockerfile: D(['FROM eclipse-temurin:21', 'ENV JAVA_OPTS="-Xmx1g"', 'ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar a.jar"]']) } },
      { files: { Dockerfile: D(['FROM eclipse-temurin:21', 'ENTRYPOINT ["java", "-Xrs", "-jar", "a.jar"]']) },
        fixed: { Dockerfile: D(['FROM eclipse-temurin:21', 'ENTRYPOINT ["java", "-jar", "a.jar"]']) } },
    ],
    negative: [{ files: { Dockerfile: D(['FROM eclipse-temurin:21', 'ENTRYPOINT ["java", "-Xmx1g", "-jar", "a.jar"]']) } }],
  },
  {
    rule: 'PID1017',
    positive: [
      { files: { Dockerfile: D([PY, 'COPY main.py .', 'CMD ["python", "main.py"]']), 'main.py': 'import time\nwhile True:\n    time.sleep(1)\n' },
        fixed: { Dockerfile: D([PY, 'COPY main.py .', 'STOPSIGNAL SIGINT', 'CMD ["python", "main.py"]']) } },
      { files: { Dockerfile: D([NODE, 'COPY app.mjs .', 'CMD ["node", "app.mjs"]']), 'app.mjs': "process.on('SIGINT', () => process.exit(0));\n" },
        fixed: { Dockerfile: D([NODE, 'COPY app.mjs .', 'RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*', 'ENTRYPOINT ["/usr/bin/tini", "--"]', 'CMD ["node", "app.mjs"]']) } },
      // Alpine gets tini from apk; an exec-form ENTRYPOINT is prefixed rather than replaced.
      { files: { Dockerfile: D(['FROM node:22-alpine', 'COPY app.js .', 'ENTRYPOINT ["node", "app.js"]']), 'app.js': 'setInterval(() => {}, 1000);\n' },
        fixed: { Dockerfile: D(['FROM node:22-alpine', 'COPY app.js .', 'RUN apk add --no-cache tini', 'ENTRYPOINT ["/sbin/tini", "--", "node", "app.js"]']) } },
      // Unknown base image: which package manager? Left to a person.
      { files: { Dockerfile: D(['FROM gcr.io/distroless/nodejs22', 'COPY app.js .', 'CMD ["node", "app.js"]']), 'app.js': 'setInterval(() => {}, 1000);\n' } },
      { files: { Dockerfile: D(['FROM debian:12', 'CMD ["sleep", "infinity"]']) } },
    ],
    negative: [
      { files: { Dockerfile: D([PY, 'COPY main.py .', 'CMD ["python", "main.py"]']), 'main.py': HANDLED_PY } },
      { files: { Dockerfile: D([NODE, 'COPY . .', 'CMD ["node", "app.js"]']), 'app.js': "require('./stop');\n", 'stop.js': "for (const s of ['SIGTERM', 'SIGINT']) process.once(s, () => process.exit(0));\n" } },
      // Under an init the default action applies again.
      { files: { Dockerfile: D([NODE, 'COPY app.js .', 'ENTRYPOINT ["tini", "--"]', 'CMD ["node", "app.js"]']), 'app.js': 'setInterval(() => {}, 1000);\n' } },
    ],
  },
  {
    rule: 'PID1018',
    positive: [{ files: { Dockerfile: D([PY, 'RUN apt-get update && apt-get install -y tini', 'COPY main.py .', 'CMD ["python", "main.py"]']), 'main.py': HANDLED_PY + 'import subprocess\nsubprocess.Popen(["convert", "x"])\n' },
      fixed: { Dockerfile: D([PY, 'RUN apt-get update && apt-get install -y tini', 'COPY main.py .', 'ENTRYPOINT ["/usr/bin/tini", "--"]', 'CMD ["python", "main.py"]']) } }],
    negative: [{ files: { Dockerfile: D([PY, 'COPY main.py .', 'ENTRYPOINT ["tini", "--"]', 'CMD ["python", "main.py"]']), 'main.py': HANDLED_PY + 'import subprocess\n' } }],
  },
  {
    rule: 'PID1019',
    positive: [{ files: { Dockerfile: D(['FROM nginx:1.27', 'ENTRYPOINT ["dumb-init", "--"]', 'CMD ["nginx", "-g", "daemon off;"]']) } }],
    negative: [{ files: { Dockerfile: D(['FROM nginx:1.27', 'ENTRYPOINT ["dumb-init", "--single-child", "--"]', 'CMD ["nginx", "-g", "daemon off;"]']) } }],
  },
  {
    rule: 'PID1020',
    positive: [{ files: { Dockerfile: D([PY, 'COPY run.sh /run.sh', 'ENTRYPOINT ["tini", "--", "/run.sh"]']), 'run.sh': '#!/bin/sh\npython3 worker.py &\nexec python3 web.py\n' } }],
    negative: [{ files: { Dockerfile: D([PY, 'COPY run.sh /run.sh', 'ENTRYPOINT ["tini", "--", "/run.sh"]']), 'run.sh': '#!/bin/sh\nexec python3 web.py\n' } }],
  },
  {
    rule: 'PID1021',
    positive: [{ files: { Dockerfile: D([PY, 'CMD ["uwsgi", "--http", ":8000", "--module", "app:app"]']) },
      fixed: { Dockerfile: D([PY, 'CMD ["uwsgi", "--die-on-term", "--http", ":8000", "--module", "app:app"]']) } }],
    negative: [
      { files: { Dockerfile: D([PY, 'CMD ["uwsgi", "--die-on-term", "--http", ":8000"]']) } },
      { files: { Dockerfile: D([PY, 'COPY uwsgi.ini /etc/uwsgi.ini', 'CMD ["uwsgi", "--ini", "/etc/uwsgi.ini"]']), 'uwsgi.ini': '[uwsgi]\ndie-on-term = true\n' } },
    ],
  },
  {
    rule: 'PID1022',
    positive: [
      { files: { Dockerfile: D(['FROM nginx:1.27', 'COPY site.conf /etc/nginx/conf.d/', 'CMD ["nginx"]']), 'site.conf': 'server { listen 80; }\n' },
        fixed: { Dockerfile: D(['FROM nginx:1.27', 'COPY site.conf /etc/nginx/conf.d/', 'CMD ["nginx", "-g", "daemon off;"]']) } },
      { files: { Dockerfile: D(['FROM redis:7', 'CMD ["redis-server", "--daemonize", "yes"]']) } },
    ],
    negative: [
      { files: { Dockerfile: D(['FROM nginx:1.27', 'COPY nginx.conf /etc/nginx/nginx.conf', 'CMD ["nginx"]']), 'nginx.conf': 'daemon off;\nevents {}\n' } },
      { files: { Dockerfile: D(['FROM redis:7', 'CMD ["redis-server", "--appendonly", "yes"]']) } },
    ],
  },
  {
    rule: 'PID1901',
    positive: [{ files: { Dockerfile: D([PY, 'COPY start.sh /start.sh', 'CMD ["sh", "/start.sh"]']) } }],
    negative: [{ files: { Dockerfile: D([PY, 'COPY start.sh /start.sh', 'CMD ["sh", "/start.sh"]']), 'start.sh': 'exec python3 -m http.server\n' } }],
  },
  {
    rule: 'PID1902',
    positive: [{ files: { Dockerfile: D([PY, 'COPY start.sh /start.sh', 'CMD ["sh", "/start.sh"]']), 'start.sh': 'echo "unterminated\nexec python3 app.py\n' } }],
    negative: [{ files: { Dockerfile: D([PY, 'COPY start.sh /start.sh', 'CMD ["sh", "/start.sh"]']), 'start.sh': 'echo "fine"\nexec python3 -m http.server\n' } }],
  },
  {
    rule: 'PID1903',
    positive: [{ files: { Dockerfile: D([PY, `CMD ${'["env", '.repeat(1)}${Array.from({ length: 20 }, () => '"nice", ').join('')}"python3", "-m", "http.server"]`]) } }],
    negative: [{ files: { Dockerfile: D([PY, 'CMD ["env", "nice", "python3", "-m", "http.server"]']) } }],
  },
  {
    rule: 'PID1904',
    positive: [{ files: { Dockerfile: D([NODE, 'ENTRYPOINT ["/usr/local/bin/site-entrypoint.sh"]', 'CMD ["node", "-e", "1"]']) } }],
    negative: [{ files: { Dockerfile: D([NODE, 'COPY docker-entrypoint.sh /usr/local/bin/', 'ENTRYPOINT ["docker-entrypoint.sh"]', 'CMD ["node", "-e", "1"]']), 'docker-entrypoint.sh': '#!/bin/sh\nexec "$@"\n' } }],
  },
];

describe('rules', () => {
  it('every rule has positive and negative examples here', () => {
    expect(CASES.map((c) => c.rule).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  for (const c of CASES) {
    describe(c.rule, () => {
      c.positive.forEach((ex, i) => {
        it(`finds it (example ${i + 1})`, () => {
          const m = migrate(memoryContext(ex.files));
          const hits = m.before.findings.filter((f) => f.ruleId === c.rule);
          expect(hits.length, JSON.stringify(m.before.findings.map((f) => f.ruleId))).toBeGreaterThan(0);
          for (const h of hits) expect(h.location.line).toBeGreaterThan(0);
          if (ex.fixed) {
            expect(hits.some((h) => h.edits)).toBe(true);
            for (const [file, text] of Object.entries(ex.fixed)) {
              expect(m.changed.get(file) ?? ex.files[file], file).toBe(text);
              if (file.endsWith('.sh') && hasShellcheck) {
                const dialect = text.startsWith('#!/bin/bash') ? 'bash' : 'sh';
                const before = shellcheckCodes(ex.files[file]!, dialect);
                expect(shellcheckCodes(text, dialect).filter((c) => !before.includes(c)), `${file}: new shellcheck warnings`).toEqual([]);
              }
            }
            expect(m.after.findings.filter((f) => f.ruleId === c.rule)).toEqual([]);
          } else {
            expect(hits.every((h) => !h.edits && h.manual), 'no automatic fix, but a manual one').toBe(true);
          }
        });
      });
      c.negative.forEach((ex, i) => {
        it(`does not fire on the correct form (example ${i + 1})`, () => {
          const m = migrate(memoryContext(ex.files));
          expect(m.before.findings.filter((f) => f.ruleId === c.rule)).toEqual([]);
        });
      });
    });
  }
});

describe('PID1008 stops every process only when the script is PID 1', () => {
  const script = '#!/bin/sh\ncelery -A app worker --detach\nsleep infinity\n';
  const notPid1: Record<string, string> = {
    tini: 'ENTRYPOINT ["tini", "--", "/e.sh"]',
    'dumb-init': 'ENTRYPOINT ["dumb-init", "--"]\nCMD ["/e.sh"]',
  };
  for (const [what, entry] of Object.entries(notPid1)) {
    it(`not behind ${what}: reported, never rewritten to kill -1`, () => {
      const m = migrate(memoryContext({ Dockerfile: D([PY, 'COPY e.sh /e.sh', entry]), 'e.sh': script }));
      const hit = m.before.findings.find((f) => f.ruleId === 'PID1008');
      expect(hit?.edits).toBeUndefined();
      expect(hit?.manual).toContain('kill -TERM -1');
      for (const text of m.changed.values()) expect(text).not.toContain('kill -TERM -1');
    });
  }

  it('as PID 1 through exec form: rewritten', () => {
    const m = migrate(memoryContext({ Dockerfile: D([PY, 'COPY e.sh /e.sh', 'CMD ["/e.sh"]']), 'e.sh': script }));
    expect(m.changed.get('e.sh')).toContain('sleep infinity &\n');
    expect(m.after.findings.map((f) => f.ruleId)).toEqual([]);
  });
});

describe('RULES.md', () => {
  it('matches the rule table (regenerate: node lib/migrate/rules-doc.ts > lib/migrate/RULES.md)', async () => {
    const { readFileSync } = await import('node:fs');
    const { rulesMarkdown } = await import('../../lib/migrate/rules-doc.ts');
    expect(readFileSync(new URL('../../lib/migrate/RULES.md', import.meta.url), 'utf8')).toBe(rulesMarkdown());
  });
});
