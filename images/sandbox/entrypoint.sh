#!/bin/bash
# drydock-sandbox-init: the sandbox container's main process.
#
# Runs the learner's own dockerd in the foreground, in one of two isolation
# modes chosen by the engine through DRYDOCK_ISOLATION:
#
#   rootless     the container has Docker's default capabilities and
#       no host mounts; dockerd runs through rootlesskit as the unprivileged
#       user `drydock` (uid DRYDOCK_UID, with the 65536 subordinate ids after
#       it: every sandbox gets its own range from the engine). The learner's
#       shells enter that user and mount namespace (drydock-enter), so the
#       learner is root there and an unprivileged uid on the host.
#   privileged   the near-privileged recipe (host cgroups mounted,
#       all capabilities): dockerd as container root. Host-root-equivalent;
#       an explicit opt-in only.
#
# The engine starts the container with --init (tini is PID 1 and reaps
# zombies), a tmpfs on /run and a volume on /var/lib/docker (the inner
# engine's data must not sit on the container's overlay, or it falls back to
# the vfs driver, 20x slower). It then polls `docker version` until the
# daemon answers. Extra arguments are passed to dockerd.
set -euo pipefail

log=/var/log/dockerd.log
mkdir -p /var/lib/docker /run /var/log
# A home on the sandbox's own disk starts empty: give it the image's.
[[ -e /root/.bashrc ]] || cp -a /etc/drydock/home/. /root/
# After a container restart /run may not be a fresh tmpfs; drop stale state.
rm -rf /run/docker.pid /run/docker.sock /run/docker/containerd/containerd.pid /run/user

case ${DRYDOCK_ISOLATION:-} in
privileged)
  echo "drydock-sandbox-init: starting dockerd as root, near-privileged (log: $log)" >&2
  exec dockerd --data-root /var/lib/docker --config-file /etc/docker/daemon.json "$@" >>"$log" 2>&1
  ;;
rootless) ;;
*)
  echo "drydock-sandbox-init: DRYDOCK_ISOLATION=\"${DRYDOCK_ISOLATION:-}\" must be rootless or privileged (the engine sets it)" >&2
  exit 64
  ;;
esac

uid=${DRYDOCK_UID:?the engine sets DRYDOCK_UID, the first id of the range of this sandbox}
if ! [[ $uid =~ ^[0-9]+$ ]] || ((uid < 65536 || uid > 4294901759)); then
  echo "drydock-sandbox-init: DRYDOCK_UID=$uid is not a usable id" >&2
  exit 64
fi
runtime=/run/user/$uid
# The learner's root is this uid: it owns their home, the inner engine's data
# and its socket. Ids uid+1 … uid+65536 are the subordinate ids of the inner
# engine's containers.
grep -q '^drydock:' /etc/passwd || echo "drydock:x:$uid:$uid:Drydock learner:/root:/bin/bash" >>/etc/passwd
grep -q '^drydock:' /etc/group || echo "drydock:x:$uid:" >>/etc/group
echo "drydock:$((uid + 1)):65536" >/etc/subuid
echo "drydock:$((uid + 1)):65536" >/etc/subgid
install -d -m 0700 -o "$uid" -g "$uid" "$runtime"
chown "$uid:$uid" /var/lib/docker /var/log/dockerd.log
chown -R "$uid:$uid" /root
# The devices rootlesskit (tap for slirp4netns) and fuse-overlayfs open; Docker
# copies the host's mode, root only.
chown "$uid:$uid" /dev/net/tun /dev/fuse
# Clients that do not read DOCKER_HOST find the inner engine at the usual place.
ln -sf "$runtime/docker.sock" /run/docker.sock

echo "drydock-sandbox-init: starting rootless dockerd as uid $uid (log: $log)" >&2
exec setpriv --reuid "$uid" --regid "$uid" --init-groups --inh-caps=-all \
  env HOME=/root USER=drydock XDG_RUNTIME_DIR="$runtime" PATH="$PATH" \
  DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS="--state-dir=$runtime/rootlesskit" \
  /usr/share/docker.io/contrib/dockerd-rootless.sh \
  --data-root /var/lib/docker --config-file /etc/docker/daemon.json "$@" >>"$log" 2>&1
