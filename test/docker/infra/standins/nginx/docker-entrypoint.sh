#!/bin/sh
# Same contract as the official nginx image: for "nginx"/"nginx-debug", run the executable
# /docker-entrypoint.d/*.sh hooks (none are shipped here) first. Always exec.
set -e
if [ "$1" = nginx ] || [ "$1" = nginx-debug ]; then
	for f in /docker-entrypoint.d/*.sh; do
		[ -x "$f" ] || continue
		[ -n "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ] || echo "$0: running $f" >&2
		"$f"
	done
fi
exec "$@"
