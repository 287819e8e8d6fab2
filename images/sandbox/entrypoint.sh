#!/bin/bash
# drydock-sandbox-init: the sandbox container's main process.
#
# Runs the learner's own dockerd in the foreground. The engine starts the
# container with --init, so tini is PID 1 and reaps zombies; dockerd is its
# child. Expected mounts (done by the engine):
#   /var/lib/docker  a volume (the inner engine needs a non-overlay data root,
#                    otherwise it falls back to the vfs driver, 20x slower)
#   /run             a tmpfs (no stale pid files or sockets after a restart)
#   /sys/fs/cgroup   the host's cgroup hierarchy, read-write
# The engine then polls `docker version` via exec until the daemon answers.
# Extra arguments are passed to dockerd.
set -euo pipefail

log=/var/log/dockerd.log
mkdir -p /var/lib/docker /run /var/log
# After a container restart /run may not be a fresh tmpfs; drop stale state.
rm -f /run/docker.pid /run/docker.sock /run/docker/containerd/containerd.pid

echo "drydock-sandbox-init: starting dockerd (log: $log)" >&2
exec dockerd --data-root /var/lib/docker --config-file /etc/docker/daemon.json "$@" >>"$log" 2>&1
