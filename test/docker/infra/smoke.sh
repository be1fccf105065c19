#!/usr/bin/env bash
# shellcheck disable=SC2016 # single-quoted $(...) below are expanded inside the containers
# smoke.sh - quick checks that the engine answers and each official tag behaves as Dockerfiles expect.
# Run after:  eval "$(test/docker/infra/engine.sh up | tail -1)"; test/docker/infra/engine.sh images
# Prints one line per check and finally "N passed, N failed"; exits 1 if anything failed.
set -euo pipefail

ROOT=${GRACEFUL_DOCKER_ROOT:-/var/lib/graceful-ci-docker}
export DOCKER_HOST=${DOCKER_HOST:-unix://$ROOT/docker.sock} DOCKER_BUILDKIT=1
D=${GRACEFUL_DOCKER_CLI:-/usr/bin/docker}
pass=0
fail=0
started=()
tmp=$(mktemp -d)
cleanup() {
	if [ ${#started[@]} -gt 0 ]; then "$D" rm -f "${started[@]}" >/dev/null 2>&1 || true; fi
	"$D" rmi graceful-smoke/apt graceful-smoke/npm >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

ok() {
	pass=$((pass + 1))
	printf 'ok   %s\n' "$1"
}
bad() {
	fail=$((fail + 1))
	printf 'FAIL %s: %s\n' "$1" "$2"
}
# check NAME EXPECTED-REGEX CMD...: the command's output (stdout+stderr) must match
check() {
	local name=$1 want=$2 out
	shift 2
	if out=$("$@" 2>&1) && grep -Eq -- "$want" <<<"$out"; then
		ok "$name"
	else
		bad "$name" "want /$want/, got: $(head -c 300 <<<"$out" | tr '\n' ' ')"
	fi
}
run() { "$D" run --rm "$@"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# wait_http NAME URL SECONDS: until the URL answers 200
wait_http() {
	local i code
	for ((i = 0; i < $3 * 10; i++)); do
		code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$2" || true)
		[ "$code" = 200 ] && return 0
		sleep 0.1
	done
	return 1
}

# stop_check NAME CONTAINER WANT-EXIT MAX-SECONDS: docker stop -t 5 must end quickly with WANT-EXIT
stop_check() {
	local name=$1 c=$2 want=$3 max=$4 t0 dt code
	t0=$(now)
	"$D" stop -t 5 "$c" >/dev/null
	dt=$(since "$t0")
	code=$("$D" inspect -f '{{.State.ExitCode}}' "$c")
	if [ "$code" = "$want" ] && awk -v d="$dt" -v m="$max" 'BEGIN { exit !(d < m) }'; then
		ok "$name: docker stop -t 5 -> exit $code in ${dt}s"
	else
		bad "$name" "docker stop -t 5 -> exit $code in ${dt}s (want $want within ${max}s)"
		"$D" logs --tail 20 "$c" 2>&1 | sed 's/^/    | /'
	fi
}

host_port() { "$D" port "$1" "$2" | head -1 | sed 's/.*://'; }

check "engine answers" '^[0-9]+\.' "$D" version -f '{{.Server.Version}}'

# labels: every tag is either the real image or a labelled stand-in of that name
for t in debian:bookworm-slim debian:bookworm node:22-bookworm-slim node:20-bookworm-slim \
	node:20.10.0-bookworm-slim python:3.12-slim-bookworm eclipse-temurin:21-jdk eclipse-temurin:21-jre \
	eclipse-temurin:17-jdk eclipse-temurin:17-jre tomcat:10.1-jre21 tomcat:10.1-jre17 \
	nginx:1.25-bookworm php:8.3-fpm-bookworm; do
	if ! lab=$("$D" image inspect -f '{{index .Config.Labels "lab.standin"}} {{index .Config.Labels "lab.real-image"}}' "$t" 2>&1); then
		bad "$t present" "$lab"
	elif [ "$lab" = "true $t" ] || [[ $lab != true* ]]; then
		ok "$t present (${lab%% *})"
	else
		bad "$t labels" "$lab"
	fi
done

check "debian:bookworm-slim is 12.x" '^12\.' run debian:bookworm-slim cat /etc/debian_version
check "debian:bookworm has bash CMD" '^\[bash\]$' "$D" image inspect -f '{{.Config.Cmd}}' debian:bookworm

for v in 22 20 20.10.0; do
	img=node:$v-bookworm-slim
	check "$img node -v" "^v${v//./\\.}(\.|$)" run "$img" node -v
	check "$img npm/yarn" '^[0-9]+\.[0-9]+\.[0-9]+ 1\.22\.' run "$img" sh -c 'echo "$(npm -v) $(yarn -v)"'
	check "$img id node" '^uid=1000\(node\) gid=1000\(node\)' run "$img" id node
	check "$img entrypoint runs node for options" '^42$' run "$img" -e 'console.log(42)'
done
check "node:20.10.0 ships npm 10.2.3" '^10\.2\.3$' run node:20.10.0-bookworm-slim npm -v

check "python3 -V" '^Python 3\.' run python:3.12-slim-bookworm python3 -V
check "python/pip in /usr/local/bin" '^/usr/local/bin/python /usr/local/bin/pip pip [0-9]' \
	run python:3.12-slim-bookworm sh -c 'echo "$(command -v python) $(command -v pip) $(pip -V)"'
check "python CMD" '^\[python3\]$' "$D" image inspect -f '{{.Config.Cmd}}' python:3.12-slim-bookworm

for t in 21-jdk 21-jre 17-jdk 17-jre; do
	check "eclipse-temurin:$t java -version" 'openjdk version "17' run "eclipse-temurin:$t" java -version
	check "eclipse-temurin:$t JAVA_HOME" '^/opt/java/openjdk /opt/java/openjdk/bin/java$' \
		run "eclipse-temurin:$t" sh -c 'echo "$JAVA_HOME $(command -v java)"'
done
check "eclipse-temurin:21-jdk javac" '^javac 17' run eclipse-temurin:21-jdk javac -version

# tomcat: catalina.sh run execs the JVM (PID 1), serves 200, stops on SIGTERM with 143
mkdir -p "$tmp/ROOT"
echo hello >"$tmp/ROOT/index.html"
chmod -R a+rX "$tmp"
for t in 10.1-jre21 10.1-jre17; do
	img=tomcat:$t
	c=$("$D" run -d -p 127.0.0.1::8080 -v "$tmp/ROOT:/usr/local/tomcat/webapps/ROOT:ro" "$img")
	started+=("$c")
	port=$(host_port "$c" 8080)
	t0=$(now)
	if wait_http "$img" "http://127.0.0.1:$port/" 30; then
		ok "$img catalina.sh run serves HTTP 200 on 127.0.0.1:$port after $(since "$t0")s"
	else
		bad "$img" "no HTTP 200 on 127.0.0.1:$port within 30 s"
		"$D" logs --tail 20 "$c" 2>&1 | sed 's/^/    | /'
	fi
	check "$img PID 1 is java" '^java$' "$D" exec "$c" cat /proc/1/comm
	stop_check "$img" "$c" 143 3
done

# nginx: STOPSIGNAL SIGQUIT, serves, graceful stop exits 0
img=nginx:1.25-bookworm
check "$img STOPSIGNAL" '^SIGQUIT$' "$D" image inspect -f '{{.Config.StopSignal}}' "$img"
check "$img CMD" '^\[nginx -g daemon off;\]$' "$D" image inspect -f '{{.Config.Cmd}}' "$img"
c=$("$D" run -d -p 127.0.0.1::80 "$img")
started+=("$c")
port=$(host_port "$c" 80)
if wait_http "$img" "http://127.0.0.1:$port/" 15; then ok "$img serves HTTP 200"; else bad "$img" "no HTTP 200"; fi
check "$img workers run as uid 101 (nginx)" '^ *[0-9]+ +101 +nginx: worker' "$D" top "$c" -eo pid,uid,args
stop_check "$img" "$c" 0 3

# php-fpm: STOPSIGNAL SIGQUIT, official-like config, starts and stops gracefully
img=php:8.3-fpm-bookworm
check "$img STOPSIGNAL" '^SIGQUIT$' "$D" image inspect -f '{{.Config.StopSignal}}' "$img"
check "$img process_control_timeout 0" 'process_control_timeout = 0' run "$img" php-fpm -tt
check "$img listen 9000, daemonize no" 'listen = 9000' run "$img" php-fpm -tt
c=$("$D" run -d "$img")
started+=("$c")
for _ in $(seq 1 50); do
	"$D" logs "$c" 2>&1 | grep -q 'ready to handle connections' && break
	sleep 0.1
done
check "$img starts" 'ready to handle connections' "$D" logs "$c"
stop_check "$img" "$c" 0 3

# builds as generated Dockerfiles do them: apt over http, npm over the intercepted HTTPS, exec-form
# ENTRYPOINT with tini; no pulls (the FROM tags are local)
mkdir -p "$tmp/b1" "$tmp/b2"
printf '%s\n' 'FROM debian:bookworm-slim' \
	'RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*' \
	'ENTRYPOINT ["/usr/bin/tini", "--"]' 'CMD ["sleep", "1000"]' >"$tmp/b1/Dockerfile"
if out=$("$D" build -q -t graceful-smoke/apt "$tmp/b1" 2>&1); then
	ok "build: FROM debian:bookworm-slim + apt-get install tini"
	c=$("$D" run -d graceful-smoke/apt)
	started+=("$c")
	sleep 0.3
	stop_check "tini as PID 1" "$c" 143 3
else
	bad "build: apt-get install tini" "$(tail -n 5 <<<"$out" | tr '\n' ' ')"
fi
printf '%s\n' '{"name":"smoke","version":"1.0.0","private":true,"dependencies":{"ms":"2.1.3"}}' >"$tmp/b2/package.json"
printf '%s\n' 'FROM node:22-bookworm-slim' 'WORKDIR /app' 'COPY package.json ./' \
	'RUN npm install --omit=dev --no-audit --no-fund' 'USER node' \
	'CMD ["node", "-e", "console.log(require(\"ms\")(60000))"]' >"$tmp/b2/Dockerfile"
if out=$("$D" build -q -t graceful-smoke/npm "$tmp/b2" 2>&1); then
	check "build: npm install from the registry inside node:22" '^1m$' run graceful-smoke/npm
else
	bad "build: npm install inside node:22" "$(tail -n 5 <<<"$out" | tr '\n' ' ')"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
