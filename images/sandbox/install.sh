#!/bin/bash
# Adds Drydock's files to the sandbox rootfs. Called by scripts/provision.sh
# on the host after debootstrap: install.sh ROOTFS
set -euo pipefail
root=$1
src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

install -D -m 0644 "$src/daemon.json" "$root/etc/docker/daemon.json"
install -D -m 0755 "$src/entrypoint.sh" "$root/usr/local/bin/drydock-sandbox-init"
install -D -m 0755 "$src/enter.sh" "$root/usr/local/bin/drydock-enter"
install -D -m 0644 "$src/bashrc" "$root/root/.bashrc"
install -D -m 0644 "$src/tmux.conf" "$root/etc/tmux.conf"
install -d -m 0755 "$root/root/lab" "$root/var/lib/docker"
: >"$root/var/log/dockerd.log"
# The learner's home may be a fresh folder on the sandbox's own disk (the
# engine binds it at /root): the entrypoint fills it from this copy.
install -d -m 0755 "$root/etc/drydock/home"
cp -a "$root/root/." "$root/etc/drydock/home/"

# vim-tiny provides `vi`; learners type `vim` too (an alternative, so a
# later `apt-get install vim` takes over cleanly).
chroot "$root" update-alternatives --quiet --install /usr/bin/vim vim /usr/bin/vim.tiny 10

# rootlesskit maps the sandbox's subordinate ids with newuidmap/newgidmap. Run
# setuid they fail in an unprivileged container (EPERM on uid_map); with just
# the one file capability each they work, and hold nothing else of root's.
chmod 0755 "$root/usr/bin/newuidmap" "$root/usr/bin/newgidmap"
setcap cap_setuid=ep "$root/usr/bin/newuidmap"
setcap cap_setgid=ep "$root/usr/bin/newgidmap"
