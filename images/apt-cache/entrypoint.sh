#!/bin/bash
# drydock-apt-cache: the package cache container's main process.
# DRYDOCK_APT_CACHE_OFFLINE=1 (a room with no internet, the cache imported
# with `npm run cache -- import FILE`): serve only what the cache holds, never
# asking Debian's archive.
set -euo pipefail
args=(-c /etc/apt-cacher-ng)
[[ ${DRYDOCK_APT_CACHE_OFFLINE:-0} == 1 ]] && args+=(Offlinemode=1)
exec /usr/sbin/apt-cacher-ng "${args[@]}" "$@"
