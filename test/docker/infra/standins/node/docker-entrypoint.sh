#!/bin/sh
# Same contract as the official node images: arguments that start with "-", or whose first word is
# not a command (or is a non-executable file, e.g. "app.js"), are run by node. Always exec.
set -e
if [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1" || true)" ] || { [ -f "$1" ] && ! [ -x "$1" ]; }; then
	set -- node "$@"
fi
exec "$@"
