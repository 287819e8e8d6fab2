#!/usr/bin/env bash
# `npm run stop`: stops the agent and the web app started by `npm start` and
# removes every sandbox (containers and volumes labelled as Drydock's).
# The images, the registry and dockerd stay, so the next start is quick.
set -euo pipefail
source "$(dirname "$0")/lib/prepare.sh"
if [[ -f "$DRYDOCK_STATE/serve.pids" ]]; then
  read -r -a pids <"$DRYDOCK_STATE/serve.pids"
  kill "${pids[@]}" 2>/dev/null || true
  say "stopped the agent and the web app"
fi
filter=(--filter label=io.drydock.managed=true --filter label=io.drydock.role=sandbox)
mapfile -t containers < <(docker ps -aq "${filter[@]}")
((${#containers[@]} == 0)) || docker rm -fv "${containers[@]}" >/dev/null
# Each sandbox's data and assignment volumes carry its id.
mapfile -t volumes < <(docker volume ls -q --filter label=io.drydock.managed=true --filter label=io.drydock.sandbox-id)
((${#volumes[@]} == 0)) || docker volume rm "${volumes[@]}" >/dev/null
say "removed ${#containers[@]} sandbox(es) and ${#volumes[@]} volume(s)"
