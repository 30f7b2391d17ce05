#!/bin/sh
# Stand-in for /etc/temporal/entrypoint.sh of temporalio/server:1.31.2 (the image's CMD).
# Reproduces the behaviour of docker/scripts/sh/entrypoint.sh in temporalio/temporal at tag
# v1.31.2 (copied into the image by docker/targets/server.Dockerfile); written for temporal-kit's
# local pod runner, not copied from upstream.
#
# What the image's script does, in order:
#   1. BIND_ON_IP, when unset or empty, becomes the address column of what
#      `getent hosts $(hostname)` prints (one line per line of output, empty if the name does not
#      resolve; a failed lookup does not stop the script).
#   2. When BIND_ON_IP is a wildcard (0.0.0.0 or ::0), TEMPORAL_BROADCAST_ADDRESS, when unset or
#      empty, becomes that same resolved address.
#   3. It execs `temporal-server start` with no arguments. The server then reads
#      TEMPORAL_SERVER_CONFIG_FILE_PATH (--config-file), TEMPORAL_SERVICES (--service, comma
#      separated; default all services), TEMPORAL_ALLOW_NO_AUTH, or, with none of the config-file
#      and legacy TEMPORAL_CONFIG_DIR / TEMPORAL_ENVIRONMENT / TEMPORAL_AVAILABILITY_ZONE set, its
#      embedded config template driven by environment variables (cmd/server/main.go and
#      common/config/loader.go at the same tag). SERVICES (the docker-builds era variable) is not
#      read by anything in this image.
#
# The upstream script runs under Alpine's busybox sh with `set -eu -o pipefail`; pipefail is used
# here only where the shell has it (dash does not), which changes nothing: the one pipeline sits
# inside a parameter expansion whose status is ignored either way.
set -eu
if (set -o pipefail) 2>/dev/null; then set -o pipefail; fi

addresses_of_this_host() {
  getent hosts "$(hostname)" | awk '{ print $1 }'
}

: "${BIND_ON_IP:=$(addresses_of_this_host)}"
export BIND_ON_IP

case "$BIND_ON_IP" in
  0.0.0.0 | ::0)
    : "${TEMPORAL_BROADCAST_ADDRESS:=$(addresses_of_this_host)}"
    export TEMPORAL_BROADCAST_ADDRESS
    ;;
esac

exec temporal-server start
