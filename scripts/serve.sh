#!/usr/bin/env bash
# Runs the sandbox agent (background) and the web app (foreground) until
# Ctrl-C or SIGTERM; stopping one stops the other. Sandboxes keep running
# across a restart and are removed by `npm run stop` or when they expire.
# Expects the environment from scripts/lib/prepare.sh.
set -euo pipefail
source "$(dirname "$0")/lib/prepare.sh"
prepare_environment
cd "$DRYDOCK_ROOT"

export AGENT_PORT=${AGENT_PORT:-4100}
export AGENT_URL=${AGENT_URL:-http://127.0.0.1:$AGENT_PORT}
export WEB_PORT=${WEB_PORT:-3000}
# A Docker Hub mirror that provisioning made (DRYDOCK_HUB_MIRROR) is where the
# agent's registry gateway asks for the library images the registry lacks.
if [[ -z ${HUB_MIRROR_UPSTREAM:-} && -r /var/lib/drydock/provision.env ]]; then
  HUB_MIRROR_UPSTREAM=$(sed -n 's/^HUB_MIRROR_URL=//p' /var/lib/drydock/provision.env)
  export HUB_MIRROR_UPSTREAM
fi

node --import tsx apps/sandbox-agent/src/main.ts &
agent_pid=$!
(cd apps/web && NODE_ENV=production exec node --import tsx server.ts) &
web_pid=$!
echo "$agent_pid $web_pid" >"$DRYDOCK_STATE/serve.pids"

stop() {
  kill "$agent_pid" "$web_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -f "$DRYDOCK_STATE/serve.pids"
}
trap stop EXIT INT TERM

say "open http://localhost:$WEB_PORT (agent on $AGENT_URL; Ctrl-C stops)"
wait -n "$agent_pid" "$web_pid"
