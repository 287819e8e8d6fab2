#!/bin/sh
# drydock-agent-start: the agent pod's main process. A DaemonSet has one pod
# template for every node, so each node's own agent credential is read here,
# from the Secret drydock-agent-credentials mounted as files named after the
# nodes, and handed to the agent as DRYDOCK_AGENT_CREDENTIAL.
#   env NODE_NAME    this node's name (the downward API)
#   env DRYDOCK_AGENT_CREDENTIALS_DIR, DRYDOCK_APP_DIR   where the Secret and the code are (tests move them)
set -eu
credentials_dir=${DRYDOCK_AGENT_CREDENTIALS_DIR:-/etc/drydock/agent-credentials}
app_dir=${DRYDOCK_APP_DIR:-/app}
file="$credentials_dir/${NODE_NAME:?NODE_NAME must be set (the DaemonSet sets it from spec.nodeName)}"

if [ ! -s "$file" ]; then
  printf '{"level":"error","event":"agent.credential_missing","node":"%s","fix":"issue one (npm run admin -- issue-agent --name %s) and add it to the Secret drydock-agent-credentials under the key %s: deploy/kubernetes/README.md, Add a sandbox node"}\n' \
    "$NODE_NAME" "$NODE_NAME" "$NODE_NAME" >&2
  exit 1
fi
DRYDOCK_AGENT_CREDENTIAL=$(cat "$file")
export DRYDOCK_AGENT_CREDENTIAL
cd "$app_dir/apps/sandbox-agent"
exec node --import tsx src/main.ts
