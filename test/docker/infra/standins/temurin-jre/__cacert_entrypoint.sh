#!/bin/sh
# Same contract as the eclipse-temurin entrypoint: with USE_SYSTEM_CA_CERTS set, certificates
# mounted at /certificates/*.crt are added to the system store and the JVM truststore. Always exec.
set -e
if [ -n "${USE_SYSTEM_CA_CERTS:-}" ] && [ -d /certificates ]; then
	for c in /certificates/*.crt; do
		[ -f "$c" ] || continue
		cp "$c" /usr/local/share/ca-certificates/ 2>/dev/null || echo "cannot add $c (not root?)" >&2
	done
	if [ "$(id -u)" = 0 ]; then update-ca-certificates >/dev/null; fi
fi
exec "$@"
