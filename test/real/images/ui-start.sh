#!/bin/sh
# Stand-in for /home/ui-server/start-ui-server.sh of temporalio/ui:2.52.0 (the image's ENTRYPOINT,
# ["./start-ui-server.sh"], run from WORKDIR /home/ui-server). Reproduces the behaviour of
# docker/start-ui-server.sh in temporalio/ui-server at tag v2.52.0 (copied into the image by that
# tag's Dockerfile); written for temporal-kit's local pod runner, not copied from upstream. The
# upstream script is bash; this one keeps to POSIX sh.
#
# What the image's script does, in order:
#   1. Only when ./config/config-template.yaml exists (nothing in the image puts one there) it
#      warns on stderr that custom templates now belong at /home/ui-server/config/docker.yaml and
#      runs `dockerize -template ./config-template.yaml:./config/docker.yaml`. Note the two
#      different paths: the file it tests for is not the one it renders, and the image ships
#      neither, so on the image as built that dockerize call would fail and, under `set -e`, end
#      the script. This stand-in has no dockerize: it reproduces the warning and then stops with
#      an error in both cases, saying why.
#   2. If any argument is exactly "bash", it runs an interactive bash instead of the server and
#      exits 0 once bash succeeds.
#   3. It execs `./ui-server --env docker start`. The server loads ./config/base.yaml (absent from
#      the image) and ./config/docker.yaml (shipped in the image, a template enabled by its
#      "# enable-template" comment and rendered by the server itself from TEMPORAL_ADDRESS,
#      TEMPORAL_UI_PORT, TEMPORAL_CORS_ORIGINS, TEMPORAL_AUTH_* ... at every start, in memory).
#      With neither file present it exits 1: "config file corrupted: no config files found
#      within config" (plugins/fs_config_provider/loader.go at the same tag). Nothing is written
#      into ./config at start, so a volume mounted over /home/ui-server/config hides docker.yaml.
set -eu
if (set -o pipefail) 2>/dev/null; then set -o pipefail; fi

if [ -f ./config/config-template.yaml ]; then
  echo "Custom config templates should now be mounted at: /home/ui-server/config/docker.yaml" >&2
  echo "Please see the README for details on config templating support" >&2
  if [ ! -f ./config-template.yaml ]; then
    echo "start-ui-server stand-in: the image would run dockerize on ./config-template.yaml, which it does not ship; dockerize fails there and the script stops" >&2
  else
    echo "start-ui-server stand-in: dockerize templates (./config-template.yaml -> ./config/docker.yaml) are not reproduced locally" >&2
  fi
  exit 1
fi

for arg in "$@"; do
  if [ "$arg" = "bash" ]; then
    if bash; then exit 0; fi
  fi
done

exec ./ui-server --env docker start
