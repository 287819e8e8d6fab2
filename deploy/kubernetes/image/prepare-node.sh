#!/bin/sh
# drydock-prepare-node: the agent pod's init container. Makes the node's Docker
# engine ready for sandboxes, as scripts/provision.sh does on a single machine:
# the sandbox bridge network and the sandbox image. Idempotent; changes nothing
# that is already there.
#   env SANDBOX_IMAGE    the sandbox image, by its pinned tag in the operator's registry
#   env SANDBOX_NETWORK  the sandboxes' bridge network (default drydock)
set -eu
network=${SANDBOX_NETWORK:-drydock}
: "${SANDBOX_IMAGE:?SANDBOX_IMAGE must name the sandbox image (the DaemonSet sets it)}"

log() { printf '{"event":"prepare_node.%s","node":"%s",%s}\n' "$1" "${NODE_NAME:-}" "$2"; }

if ! docker info >/dev/null 2>&1; then
  log docker_unreachable '"fix":"install Docker Engine on this node (apt-get install docker.io) and make sure /var/run/docker.sock exists; see deploy/kubernetes/README.md, Add a sandbox node"'
  exit 1
fi
if docker network inspect "$network" >/dev/null 2>&1; then
  log network_present "\"network\":\"$network\""
else
  docker network create --driver bridge --label io.drydock.managed=true --label io.drydock.role=network "$network" >/dev/null
  log network_created "\"network\":\"$network\""
fi
if docker image inspect "$SANDBOX_IMAGE" >/dev/null 2>&1; then
  log image_present "\"image\":\"$SANDBOX_IMAGE\""
elif docker pull --quiet "$SANDBOX_IMAGE" >/dev/null; then
  log image_pulled "\"image\":\"$SANDBOX_IMAGE\""
else
  log image_pull_failed "\"image\":\"$SANDBOX_IMAGE\",\"fix\":\"push the sandbox image there (README.md, Install), or log this node's Docker in to that registry\""
  exit 1
fi
