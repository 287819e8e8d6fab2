#!/bin/bash
# drydock-enter COMMAND...: runs a command as the learner of a rootless
# sandbox: root in the user and mount namespaces of its dockerd (an
# unprivileged uid on the host), in the container's network namespace, where
# the ports the learner publishes are reachable. The engine runs every exec
# (terminals, checks, files, port scans) through it as the user `drydock`.
runtime=/run/user/$(id -u)
state=$runtime/rootlesskit
pid=$(cat "$state/child_pid" 2>/dev/null) || {
  echo "drydock-enter: the sandbox's Docker engine is not running (yet)" >&2
  exit 125
}
# The learner's docker CLI talks to the rootless engine (/run/docker.sock links there too).
export DOCKER_HOST=unix://$runtime/docker.sock
exec nsenter --user --mount --target "$pid" --wd="$PWD" -- "$@"
