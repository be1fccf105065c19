#!/bin/sh
# No service starts inside image builds (as in the official images).
exit 101
