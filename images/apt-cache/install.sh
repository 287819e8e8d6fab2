#!/bin/bash
# Adds Drydock's files to the package cache rootfs. Called by
# scripts/provision.sh on the host after debootstrap: install.sh ROOTFS
set -euo pipefail
root=$1
src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

install -D -m 0644 "$src/acng.conf" "$root/etc/apt-cacher-ng/acng.conf"
install -D -m 0644 "$src/backends_debian" "$root/etc/apt-cacher-ng/backends_debian"
install -D -m 0755 "$src/entrypoint.sh" "$root/usr/local/bin/drydock-apt-cache"
# The package's postinst created the apt-cacher-ng user; its cache must be
# owned by it (a fresh named volume copies this ownership).
chroot "$root" install -d -o apt-cacher-ng -g apt-cacher-ng -m 0755 /var/cache/apt-cacher-ng /var/log/apt-cacher-ng /run/apt-cacher-ng
