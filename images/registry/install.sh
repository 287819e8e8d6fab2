#!/bin/bash
# Adds Drydock's files to the registry rootfs. Called by scripts/provision.sh
# on the host after debootstrap: install.sh ROOTFS
set -euo pipefail
root=$1
src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

install -D -m 0644 "$src/config.yml" "$root/etc/docker/registry/config.yml"
# The package's postinst created the docker-registry user; its data dir must
# be owned by it (a fresh named volume copies this ownership).
chroot "$root" install -d -o docker-registry -g docker-registry -m 0750 /var/lib/docker-registry
