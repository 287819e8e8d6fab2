#!/bin/bash
# scripts/provision.sh — prepares this host to run Drydock. `npm run provision`.
#
# Usage: sudo bash scripts/provision.sh [--for-tests]
#   --for-tests   also install chromium (browser tests) and shellcheck (lint)
#   env DRYDOCK_REGISTRY_PORT (default 5000): host port of the registry, bound
#       to 127.0.0.1 only.  DRYDOCK_DEBIAN_MIRROR (default deb.debian.org):
#       where debootstrap fetches from; images always point at deb.debian.org.
#   env DRYDOCK_APT_CACHE_PORT (default 3142): host port of the package
#       cache, bound to 127.0.0.1 only.  DRYDOCK_APT_CACHE_OFFLINE=1: the
#       cache serves only what it holds (a room with no internet at all).
#   env DRYDOCK_HUB_MIRROR (default off): a Docker Hub pull-through mirror —
#       a URL (e.g. https://registry-1.docker.io) or `auto` (Docker Hub)
#       creates it when that upstream answers, and skips it when not (offline);
#       off, none is created (and an existing one is left as it is). DRYDOCK_HUB_MIRROR_PORT
#       (default 5001): its host port on 127.0.0.1.
#
# Contract — once it exits 0, the rest of Drydock may rely on:
#   * dockerd answers `docker info` (started detached if it was not running;
#     log /var/log/drydock/dockerd.log).
#   * images (all built from Debian packages only, no Docker Hub):
#       debian:bookworm, debian:bookworm-slim       role=base-image (kept
#         as is when present and not ours, e.g. pulled from Docker Hub)
#       drydock/sandbox:<hash> and :latest          role=sandbox-image
#       drydock/registry:<hash> and :latest         role=registry-image
#       drydock/apt-cache:<hash> and :latest        role=apt-cache-image
#     (the four are built side by side, each logging to provision-NAME.log)
#     <hash> = 12 hex chars of sha256 over images/<name>/ and images/base/;
#     an image is rebuilt only when its hash tag is missing.
#   * network `drydock` (bridge) for the sandboxes.
#   * container `drydock-registry`, running Debian's docker-registry
#     (Distribution v2), on a network of its own, `drydock-registry-net`
#     (never on `drydock`: a sandbox must not reach it, or it could overwrite
#     the base images), published on 127.0.0.1:$DRYDOCK_REGISTRY_PORT, data in
#     volume `drydock-registry-data`, --restart unless-stopped. An older one on
#     `drydock` is recreated (the data stays).
#   * the registry holds library/debian:bookworm and :bookworm-slim, so a
#     sandbox's dockerd (registry mirror http://drydock-registry:5000, which is
#     the sandbox agent's registry gateway) can `docker pull debian:bookworm`
#     with no internet.
#   * container `drydock-apt-cache`, apt-cacher-ng (Debian's), on a network of
#     its own, `drydock-apt-cache-net` (never on `drydock`), published on
#     127.0.0.1:$DRYDOCK_APT_CACHE_PORT, cache in volume
#     `drydock-apt-cache-data`, --restart unless-stopped. Sandboxes reach it
#     through the agent's package-cache gateway, for Debian's archive only.
#   * only when DRYDOCK_HUB_MIRROR says so: container `drydock-hub-mirror`,
#     the registry image in Distribution's proxy mode (a pull-through cache of
#     Docker Hub; read-only, hence not drydock-registry itself), on
#     `drydock-registry-net`, published on 127.0.0.1:$DRYDOCK_HUB_MIRROR_PORT,
#     data in volume `drydock-hub-mirror-data`. Offline it is skipped, never
#     failing the run.
#   * /var/lib/drydock/provision.env: SANDBOX_IMAGE, REGISTRY_IMAGE, NETWORK,
#     REGISTRY_NETWORK, REGISTRY_CONTAINER, REGISTRY_PORT, REGISTRY_URL,
#     APT_CACHE_IMAGE, APT_CACHE_NETWORK, APT_CACHE_CONTAINER, APT_CACHE_VOLUME,
#     APT_CACHE_PORT, APT_CACHE_URL, HUB_MIRROR_URL (empty without a mirror)
#     (shell syntax).
#   * everything created carries the label io.drydock.managed=true (plus
#     io.drydock.role); nothing without it is ever removed or changed.
# Idempotent: each step is skipped when already in place; a second run takes
# seconds. Logs: /var/log/drydock/provision.log. Caches: /var/cache/drydock.
set -Eeuo pipefail

PREFIX="[drydock]"
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IMAGES_DIR=$ROOT_DIR/images
LOG_DIR=/var/log/drydock
STATE_DIR=/var/lib/drydock
CACHE_DIR=/var/cache/drydock
LOG=$LOG_DIR/provision.log
SUITE=bookworm
MIRROR=${DRYDOCK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
REGISTRY_PORT=${DRYDOCK_REGISTRY_PORT:-5000}
NETWORK=drydock
REGISTRY_NETWORK=drydock-registry-net
REGISTRY_CONTAINER=drydock-registry
REGISTRY_VOLUME=drydock-registry-data
APT_CACHE_PORT=${DRYDOCK_APT_CACHE_PORT:-3142}
APT_CACHE_NETWORK=drydock-apt-cache-net
APT_CACHE_CONTAINER=drydock-apt-cache
APT_CACHE_VOLUME=drydock-apt-cache-data
APT_CACHE_OFFLINE=${DRYDOCK_APT_CACHE_OFFLINE:-0}
HUB_MIRROR=${DRYDOCK_HUB_MIRROR:-off}
HUB_MIRROR_PORT=${DRYDOCK_HUB_MIRROR_PORT:-5001}
HUB_MIRROR_CONTAINER=drydock-hub-mirror
HUB_MIRROR_VOLUME=drydock-hub-mirror-data
HUB_MIRROR_URL=""
MANAGED=io.drydock.managed
ROLE=io.drydock.role
# Bump when the image-building logic in this script changes: it is part of
# every image hash, so all images get rebuilt.
RECIPE=1
TOTAL=11

# e2fsprogs: the agent formats each sandbox's data disk with mkfs.ext4; iproute2: the
# containment tests make local stand-ins for metadata and private addresses.
HOST_PACKAGES=(docker.io debootstrap iptables ca-certificates curl tmux uidmap rootlesskit slirp4netns fuse-overlayfs libcap2-bin e2fsprogs iproute2)
FOR_TESTS=0

# ---------------------------------------------------------------- output ---

now() { local t=${EPOCHREALTIME:-}; [[ -n $t ]] || t=$(date +%s.%N); echo "${t/,/.}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# Whole lines only: the image builds run side by side, and `npm start` prepares
# the code beside this script, so nobody's half-written line is interleaved.
say() { printf '%s %s\n' "$PREFIX" "$*"; }
# begin N "what": starts step N/8; skipped/done_ print its one line of outcome.
begin() {
  STEP="$1/$TOTAL $2"
  ITEM_START=$(now)
  log "== step $STEP"
}
# working "why": a line for a step that takes a while, so its silence is explained.
working() { say "$STEP … $1"; }
skipped() { say "$STEP … skipped ($1)"; }
done_() { say "$STEP … ${1:-done} in $(since "$ITEM_START")s"; }
log() { printf '%s %s\n' "$(date -u +%FT%TZ)" "$*" 2>/dev/null >>"$LOG" || true; }
# die "what went wrong" ["what to do" ...]
die() {
  printf '%s ERROR: %s\n' "$PREFIX" "$1" >&2
  shift
  local line
  for line in "$@"; do printf '%s   %s\n' "$PREFIX" "$line" >&2; done
  exit 1
}
# run CMD...: runs a command with its output appended to the log; on failure
# shows the end of the log and stops.
run() {
  log "+ $*"
  if ! "$@" >>"$LOG" 2>&1 </dev/null; then
    echo "$PREFIX command failed: $*" >&2
    echo "$PREFIX last lines of $LOG:" >&2
    tail -n 25 "$LOG" | sed "s/^/$PREFIX   | /" >&2
    exit 1
  fi
}

usage() { sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

# ------------------------------------------------------------- utilities ---

BUILD_DIRS=()
cleanup() {
  local dir mnt
  for dir in "${BUILD_DIRS[@]}"; do
    [[ -d $dir ]] || continue
    # debootstrap mounts /proc and /sys inside its target; never rm through them.
    while read -r mnt; do
      umount -l "$mnt" 2>/dev/null || true
    done < <(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)
    rm -rf --one-file-system "$dir"
  done
}
trap cleanup EXIT
# A failure that no explicit check caught still says where it happened.
trap 'on_error $? $LINENO "$BASH_COMMAND"' ERR
on_error() {
  printf '%s ERROR: unexpected failure (exit %s) at %s line %s: %s\n' "$PREFIX" "$1" "${BASH_SOURCE[0]}" "$2" "$3" >&2
  printf '%s   See %s; fix the cause and run this again (it resumes where it stopped).\n' "$PREFIX" "$LOG" >&2
}
trap 'exit 130' INT TERM

has_image() { docker image inspect "$1" >/dev/null 2>&1; }
image_id() { docker image inspect -f '{{.Id}}' "$1"; }

# Non-comment, non-blank lines of a file.
lines_of() { sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^[[:space:]]*$/d' "$1"; }

# suite_of NAME: the Debian release images/NAME is built from — the one named
# in images/NAME/suite, else $SUITE. The sandbox is on trixie for today's
# Docker (26.1 with BuildKit and Compose v2; bookworm packages 20.10), while
# the base images learners build FROM stay on bookworm.
suite_of() {
  local file=$IMAGES_DIR/$1/suite
  if [[ -f $file ]]; then lines_of "$file"; else echo "$SUITE"; fi
}

# image_hash NAME: 12 hex chars over images/NAME, images/base (shared rootfs
# setup) and the recipe version: file names, executable bits and contents.
image_hash() {
  {
    echo "recipe=$RECIPE suite=$(suite_of "$1")"
    local dir
    for dir in "$IMAGES_DIR/base" "$IMAGES_DIR/$1"; do
      # Only the executable bit of the mode: git keeps nothing else, and the
      # umask of a checkout must not change the hash.
      (cd "$dir" && find . -type f \( -perm -u+x -printf 'x %p\n' -o -printf '- %p\n' \) | LC_ALL=C sort &&
        find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    done
  } | sha256sum | cut -c1-12
}

# debootstrap_rootfs DIR NAME [PKG,PKG,...]: a minbase Debian (the suite of
# images/NAME) in DIR. Each image has a package cache of its own: the builds
# run at the same time.
debootstrap_rootfs() {
  local dir=$1 cache=$CACHE_DIR/debootstrap/$2 include=${3:-}
  mkdir -p "$cache"
  local args=(--variant=minbase --cache-dir="$cache")
  [[ -n $include ]] && args+=(--include="$include")
  run debootstrap "${args[@]}" "$(suite_of "$2")" "$dir" "$MIRROR"
}

# configure_rootfs DIR NAME: apt sources on deb.debian.org for the image's
# suite, Docker-style apt settings, no leftovers from the build.
configure_rootfs() {
  local dir=$1 suite
  suite=$(suite_of "$2")
  rm -f "$dir/etc/apt/sources.list"
  install -d -m 0755 "$dir/etc/apt/sources.list.d"
  sed "s/\bbookworm\b/$suite/g" "$IMAGES_DIR/base/debian.sources" >"$dir/etc/apt/sources.list.d/debian.sources"
  chmod 0644 "$dir/etc/apt/sources.list.d/debian.sources"
  install -D -m 0644 "$IMAGES_DIR/base/apt-docker.conf" "$dir/etc/apt/apt.conf.d/docker-drydock"
  clean_rootfs "$dir"
}

clean_rootfs() {
  local dir=${1:?}
  rm -rf "${dir:?}"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin \
    "$dir"/var/cache/apt/archives/*.deb "$dir"/var/cache/apt/archives/partial/* \
    "$dir"/var/log/apt/* "$dir"/var/log/bootstrap.log "$dir"/var/log/dpkg.log \
    "$dir"/var/log/alternatives.log "$dir"/var/cache/debconf/*-old \
    "$dir"/var/lib/dpkg/*-old "${dir:?}"/tmp/* "$dir"/var/tmp/* "${dir:?}"/dev/* \
    "$dir"/etc/hostname "$dir"/etc/resolv.conf "$dir"/root/.bash_history
  mkdir -p "$dir/var/lib/apt/lists/partial"
}

# slim_rootfs DIR: what the official *-slim variants drop — docs (but the
# copyright files), man/info pages, locales other than C and English — and a
# dpkg config that keeps later installs slim.
slim_rootfs() {
  local dir=${1:?}
  install -D -m 0644 "$IMAGES_DIR/base/dpkg-slim.cfg" "$dir/etc/dpkg/dpkg.cfg.d/docker-slim"
  find "$dir/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$dir/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "${dir:?}"/usr/share/man/* "$dir"/usr/share/groff/* "$dir"/usr/share/info/* \
    "$dir"/usr/share/lintian/* "$dir"/usr/share/linda/*
  if [[ -d $dir/usr/share/locale ]]; then
    find "$dir/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'C.*' ! -name 'en' \
      ! -name 'en_*' ! -name 'en@*' ! -name locale.alias -exec rm -rf {} +
  fi
}

# import_rootfs DIR TAG CHANGE...: docker import with the given --change lines.
import_rootfs() {
  local dir=$1 tag=$2 change
  shift 2
  local args=()
  for change in "$@"; do args+=(--change "$change"); done
  log "+ tar -C $dir -c . | docker import ${args[*]} - $tag"
  if ! tar -C "$dir" --numeric-owner --xattrs --xattrs-include='security.capability' -cf - . |
    docker import "${args[@]}" - "$tag" >>"$LOG" 2>&1; then
    die "docker import of $tag failed" "See $LOG."
  fi
}

new_build_dir() {
  mkdir -p "$CACHE_DIR/build"
  local dir
  dir=$(mktemp -d "$CACHE_DIR/build/$1.XXXXXX")
  BUILD_DIRS+=("$dir")
  BUILD_DIR=$dir
}

# build_app_image NAME ROLE: drydock/NAME:<hash> (+ :latest) from
# images/NAME/{packages,changes,install.sh}.
build_app_image() {
  local name=$1 role=$2 hash repo
  hash=$(image_hash "$name")
  repo=drydock/$name
  begin "$3" "image $repo:$hash"
  if has_image "$repo:$hash"; then
    local note=present
    if [[ $(image_id "$repo:$hash") != "$(image_id "$repo:latest" 2>/dev/null || true)" ]]; then
      run docker tag "$repo:$hash" "$repo:latest"
      note+="; :latest retagged"
    fi
    prune_old_tags "$repo" "$hash"
    ((PRUNED)) && note+="; $PRUNED old tag(s) removed"
    skipped "$note"
    return
  fi
  local packages changes=()
  packages=$(lines_of "$IMAGES_DIR/$name/packages" | paste -sd, -)
  mapfile -t changes < <(lines_of "$IMAGES_DIR/$name/changes")
  changes+=("LABEL $MANAGED=true $ROLE=$role io.drydock.image-hash=$hash")
  working "building from Debian packages"
  new_build_dir "$name"
  local dir=$BUILD_DIR/rootfs
  debootstrap_rootfs "$dir" "$name" "$packages"
  configure_rootfs "$dir" "$name"
  run bash "$IMAGES_DIR/$name/install.sh" "$dir"
  slim_rootfs "$dir"
  clean_rootfs "$dir"
  import_rootfs "$dir" "$repo:$hash" "${changes[@]}"
  run docker tag "$repo:$hash" "$repo:latest"
  cleanup_one "$BUILD_DIR"
  prune_old_tags "$repo" "$hash"
  local note
  note="built ($(docker image inspect -f '{{.Size}}' "$repo:$hash" | awk '{ printf "%d MB", $1 / 1e6 }')"
  ((PRUNED)) && note+=", $PRUNED old tag(s) removed"
  done_ "$note)"
}

# prune_old_tags REPO HASH: untags our older REPO:<hash> builds. An image that
# a container (e.g. a running sandbox) still uses is kept: rmi refuses it.
prune_old_tags() {
  local repo=$1 hash=$2 tag
  PRUNED=0
  while read -r tag; do
    [[ $tag == "$hash" || $tag == latest || $tag == "<none>" ]] && continue
    [[ $(docker image inspect -f "{{index .Config.Labels \"$MANAGED\"}}" "$repo:$tag" 2>/dev/null) == true ]] || continue
    if docker rmi "$repo:$tag" >>"$LOG" 2>&1; then PRUNED=$((PRUNED + 1)); fi
  done < <(docker image ls --format '{{.Tag}}' "$repo")
}

# cleanup_one DIR: removes one build dir now instead of at exit.
cleanup_one() {
  local saved=("${BUILD_DIRS[@]}") d
  BUILD_DIRS=("$1")
  cleanup
  BUILD_DIRS=()
  for d in "${saved[@]}"; do [[ $d == "$1" ]] || BUILD_DIRS+=("$d"); done
}

# in_parallel "NAME:CMD ARGS" ...: runs each command in a subshell of its own,
# all at once, each logging to provision-NAME.log; stops when any of them
# failed, after all have finished (a half-built image is cleaned up by its own job).
in_parallel() {
  local jobs=() names=() job failed=()
  for job in "$@"; do
    (
      BUILD_DIRS=()
      trap cleanup EXIT
      # Word splitting is the point: the part after NAME: is a command and its arguments.
      # shellcheck disable=SC2086
      LOG=$LOG_DIR/provision-${job%%:*}.log ${job#*:}
    ) &
    jobs+=($!)
    names+=("${job%%:*}")
  done
  local i
  for i in "${!jobs[@]}"; do
    wait "${jobs[$i]}" || failed+=("${names[$i]}")
  done
  ((${#failed[@]} == 0)) || die "${#failed[@]} image build(s) failed: ${failed[*]}" \
    "The lines above say why; each build's log is in $LOG_DIR/provision-*.log. Fix the cause and run this again."
}

# ----------------------------------------------------------------- steps ---

step_preconditions() {
  begin 1 "preconditions"
  [[ $(uname -s) == Linux ]] || die "Drydock runs on Linux only (this is $(uname -s))." \
    "Use a Debian 12 machine or VM."
  [[ $(id -u) -eq 0 ]] || die "provision.sh must run as root (it installs packages and starts dockerd)." \
    "Run as root, e.g. sudo npm start"
  if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
    die "apt-get not found: Drydock provisions Debian (12, bookworm) hosts." \
    "Use Debian 12, or install the packages listed in $0 by hand."
  fi
  if ! awk '$2 == "/sys/fs/cgroup" { found = 1 } END { exit !found }' /proc/mounts; then
    die "cgroups are not mounted at /sys/fs/cgroup; Docker needs them." \
    "Mount them, e.g.: mount -t cgroup2 none /sys/fs/cgroup (or use cgroupfs-mount), then run this again."
  fi
  [[ -f $IMAGES_DIR/sandbox/packages && -f $IMAGES_DIR/registry/packages && -f $IMAGES_DIR/apt-cache/packages ]] ||
    die "$IMAGES_DIR is incomplete." "Run this from a complete Drydock checkout."
  local option
  for option in DRYDOCK_REGISTRY_PORT=$REGISTRY_PORT DRYDOCK_APT_CACHE_PORT=$APT_CACHE_PORT DRYDOCK_HUB_MIRROR_PORT=$HUB_MIRROR_PORT; do
    local port=${option#*=}
    if ! [[ $port =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
      die "${option%%=*}=$port is not a port number."
    fi
  done
  local cg=v1
  [[ -f /sys/fs/cgroup/cgroup.controllers ]] && cg=v2
  say "$STEP … ok (Linux, root, apt-get, cgroup $cg)"
}

step_packages() {
  local wanted=("${HOST_PACKAGES[@]}") missing=() pkg
  ((FOR_TESTS)) && wanted+=(chromium shellcheck redis-server)
  begin 2 "Debian packages (${#wanted[@]})"
  for pkg in "${wanted[@]}"; do
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null) == installed ]] || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    skipped "all installed"
    return
  fi
  working "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  run apt-get update
  run apt-get install -y --no-install-recommends "${missing[@]}"
  done_ "installed"
}

docker_ok() { timeout 10 docker info >/dev/null 2>&1; }

step_dockerd() {
  begin 3 "dockerd"
  if docker_ok; then
    skipped "running"
    return
  fi
  local pid="" started=0
  [[ -f /var/run/docker.pid ]] && pid=$(cat /var/run/docker.pid 2>/dev/null || true)
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    working "dockerd pid $pid is up, waiting for it"
  else
    # No systemd here: start it detached so it outlives this script. fd 9 is
    # our lock; dockerd must not inherit it.
    echo "==== $(date -u +%FT%TZ) started by provision.sh" >>"$LOG_DIR/dockerd.log"
    setsid nohup dockerd >>"$LOG_DIR/dockerd.log" 2>&1 </dev/null 9>&- &
    pid=$!
    started=1
  fi
  local deadline=$((SECONDS + 30))
  until docker_ok; do
    if ((started)) && ! kill -0 "$pid" 2>/dev/null; then
      break
    fi
    if ((SECONDS >= deadline)); then break; fi
    sleep 0.3
  done
  if ! docker_ok; then
    echo "$PREFIX last lines of $LOG_DIR/dockerd.log:" >&2
    tail -n 20 "$LOG_DIR/dockerd.log" | sed "s/^/$PREFIX   | /" >&2
    die "dockerd did not answer \`docker info\` within 30 s." \
      "Read $LOG_DIR/dockerd.log; fix what it reports (often: another dockerd or a stale" \
      "/var/run/docker.pid, iptables not usable, or no overlay support), then run this again."
  fi
  done_ "started (pid $pid)"
}

# base_image_current TAG HASH: true when TAG exists and is either built by
# this recipe or not ours at all (then it is used as is, e.g. the official one).
base_image_current() {
  local labels
  labels=$(docker image inspect -f "{{index .Config.Labels \"$MANAGED\"}}|{{index .Config.Labels \"io.drydock.image-hash\"}}" "$1" 2>/dev/null) || return 1
  [[ ${labels%%|*} != true || ${labels#*|} == "$2" ]]
}

# import_base DIR TAG HASH: imports, then drops the image it replaces (if any,
# ours, and unused).
import_base() {
  local old
  old=$(image_id "$2" 2>/dev/null || true)
  import_rootfs "$1" "$2" 'CMD ["bash"]' "LABEL $MANAGED=true $ROLE=base-image io.drydock.image-hash=$3"
  if [[ -n $old && $old != "$(image_id "$2")" ]]; then
    docker rmi "$old" >>"$LOG" 2>&1 || true
  fi
}

step_base_images() {
  local need_full=1 need_slim=1 hash
  hash=$(image_hash base)
  if base_image_current "debian:$SUITE" "$hash"; then need_full=0; fi
  if base_image_current "debian:$SUITE-slim" "$hash"; then need_slim=0; fi
  if ((!need_full && !need_slim)); then
    begin 4 "base images debian:$SUITE, debian:$SUITE-slim"
    skipped "present"
    return
  fi
  begin 4 "base image debian:$SUITE (debootstrap)"
  working "building from Debian packages"
  new_build_dir base
  local dir=$BUILD_DIR/rootfs
  debootstrap_rootfs "$dir" base
  configure_rootfs "$dir" base
  if ((need_full)); then
    import_base "$dir" "debian:$SUITE" "$hash"
    done_
  else
    skipped "present"
  fi
  begin 4 "base image debian:$SUITE-slim"
  if ((need_slim)); then
    slim_rootfs "$dir"
    clean_rootfs "$dir"
    import_base "$dir" "debian:$SUITE-slim" "$hash"
    done_
  else
    skipped "present"
  fi
  cleanup_one "$BUILD_DIR"
}

label_of() { docker "$1" inspect -f "{{index .Labels \"$MANAGED\"}}" "$2" 2>/dev/null || true; }

# ensure_network NAME ROLE: true when it had to be created.
ensure_network() {
  if docker network inspect "$1" >/dev/null 2>&1; then
    [[ $(label_of network "$1") == true ]] ||
      say "warning: network $1 exists but was not created by Drydock; using it as is"
    return 1
  fi
  run docker network create --driver bridge --label "$MANAGED=true" --label "$ROLE=$2" "$1"
}

# ensure_volume NAME ROLE: true when it had to be created.
ensure_volume() {
  if docker volume inspect "$1" >/dev/null 2>&1; then
    [[ $(label_of volume "$1") == true ]] ||
      say "warning: volume $1 exists but was not created by Drydock; using it as is"
    return 1
  fi
  run docker volume create --label "$MANAGED=true" --label "$ROLE=$2" "$1"
}

# service_args NAME NETWORK PORT ROLE: the `docker run` arguments every
# service container shares (the image and its own settings follow).
service_args() {
  SERVICE_ARGS=(-d --name "$1" --network "$2" --restart unless-stopped
    --log-opt max-size=1m --log-opt max-file=2
    --label "$MANAGED=true" --label "$ROLE=$4" --label "io.drydock.service-port=$3")
}

run_registry() {
  # io.drydock.registry-port: what an older provision labelled the port with.
  service_args "$REGISTRY_CONTAINER" "$REGISTRY_NETWORK" "$REGISTRY_PORT" registry
  run docker run "${SERVICE_ARGS[@]}" \
    -p "127.0.0.1:$REGISTRY_PORT:5000" \
    --mount "type=volume,src=$REGISTRY_VOLUME,dst=/var/lib/docker-registry" \
    --label "io.drydock.registry-port=$REGISTRY_PORT" \
    "$REGISTRY_IMAGE"
}

# ensure_service NAME IMAGE NETWORK PORT RUN_FN [SETTING]: the container NAME
# runs IMAGE on exactly NETWORK, published on PORT, created by RUN_FN, and was
# created with SETTING (a label io.drydock.setting, for what else decides how
# it runs); recreated (its data volume stays) when any of them changed.
# Appends what it did to DID.
ensure_service() {
  local name=$1 want_image net_id info want_setting=${6:-}
  want_image=$(image_id "$2")
  net_id=$(docker network inspect -f '{{.Id}}' "$3")
  if info=$(docker container inspect -f \
    "{{index .Config.Labels \"$MANAGED\"}}|{{.Image}}|{{or (index .Config.Labels \"io.drydock.service-port\") (index .Config.Labels \"io.drydock.registry-port\")}}|{{index .Config.Labels \"io.drydock.setting\"}}|{{.State.Running}}|{{range .NetworkSettings.Networks}}{{.NetworkID}} {{end}}" \
    "$name" 2>/dev/null); then
    local managed image port setting running cnets why=""
    IFS='|' read -r managed image port setting running cnets <<<"$info"
    [[ $managed == true ]] || die "a container named $name exists that Drydock did not create." \
      "Rename or remove it (docker rm -f $name), then run this again."
    # Exactly its own network: on the sandboxes' network, learners could reach it directly.
    if [[ $image != "$want_image" ]]; then
      why="new image"
    elif [[ $port != "$4" ]]; then
      why="new port"
    elif [[ ${cnets% } != "$net_id" ]]; then
      why="moved to network $3"
    elif [[ $setting != "$want_setting" ]]; then
      why="new setting"
    fi
    if [[ -n $why ]]; then
      run docker rm -f "$name"
      "$5"
      DID+=("$name recreated ($why)")
    elif [[ $running != true ]]; then
      run docker start "$name"
      DID+=("$name started")
    fi
  else
    "$5"
    DID+=("$name created")
  fi
}

# wait_for NAME URL: until URL answers (any HTTP status), at most 30 s.
wait_for() {
  local deadline=$((SECONDS + 30))
  until curl -sS -m 2 -o /dev/null "$2" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      docker logs --tail 20 "$1" 2>&1 | sed "s/^/$PREFIX   | /" >&2 || true
      die "$1 does not answer on $2 after 30 s." \
        "See \`docker logs $1\`. If the port is taken, choose a free one (the options at the top of $0)."
    fi
    sleep 0.2
  done
}

# report_did: the step's outcome line from DID.
report_did() {
  if ((${#DID[@]} == 0)); then
    skipped "running"
  else
    local IFS=,
    done_ "${DID[*]}"
  fi
}

step_registry() {
  begin 8 "networks $NETWORK and $REGISTRY_NETWORK, registry $REGISTRY_CONTAINER on 127.0.0.1:$REGISTRY_PORT"
  DID=()
  ensure_network "$NETWORK" network && DID+=("network $NETWORK created")
  ensure_network "$REGISTRY_NETWORK" registry-network && DID+=("network $REGISTRY_NETWORK created")
  ensure_volume "$REGISTRY_VOLUME" registry-data && DID+=("volume created")
  ensure_service "$REGISTRY_CONTAINER" "$REGISTRY_IMAGE" "$REGISTRY_NETWORK" "$REGISTRY_PORT" run_registry
  wait_for "$REGISTRY_CONTAINER" "http://127.0.0.1:$REGISTRY_PORT/v2/"
  # The image the container ran before is unused now.
  prune_old_tags drydock/registry "${REGISTRY_IMAGE##*:}"
  report_did
}

run_apt_cache() {
  service_args "$APT_CACHE_CONTAINER" "$APT_CACHE_NETWORK" "$APT_CACHE_PORT" apt-cache
  run docker run "${SERVICE_ARGS[@]}" \
    -p "127.0.0.1:$APT_CACHE_PORT:3142" \
    --mount "type=volume,src=$APT_CACHE_VOLUME,dst=/var/cache/apt-cacher-ng" \
    -e "DRYDOCK_APT_CACHE_OFFLINE=$APT_CACHE_OFFLINE" --label "io.drydock.setting=offline=$APT_CACHE_OFFLINE" \
    "$APT_CACHE_IMAGE"
}

step_apt_cache() {
  begin 10 "package cache $APT_CACHE_CONTAINER on 127.0.0.1:$APT_CACHE_PORT (network $APT_CACHE_NETWORK)"
  DID=()
  ensure_network "$APT_CACHE_NETWORK" apt-cache-network && DID+=("network $APT_CACHE_NETWORK created")
  ensure_volume "$APT_CACHE_VOLUME" apt-cache-data && DID+=("volume created")
  ensure_service "$APT_CACHE_CONTAINER" "$APT_CACHE_IMAGE" "$APT_CACHE_NETWORK" "$APT_CACHE_PORT" run_apt_cache "offline=$APT_CACHE_OFFLINE"
  wait_for "$APT_CACHE_CONTAINER" "http://127.0.0.1:$APT_CACHE_PORT/acng-report.html"
  prune_old_tags drydock/apt-cache "${APT_CACHE_IMAGE##*:}"
  report_did
}

run_hub_mirror() {
  service_args "$HUB_MIRROR_CONTAINER" "$REGISTRY_NETWORK" "$HUB_MIRROR_PORT" hub-mirror
  # The registry image in proxy mode: Distribution reads REGISTRY_PROXY_REMOTEURL over its config file.
  run docker run "${SERVICE_ARGS[@]}" \
    -p "127.0.0.1:$HUB_MIRROR_PORT:5000" \
    --mount "type=volume,src=$HUB_MIRROR_VOLUME,dst=/var/lib/docker-registry" \
    -e "REGISTRY_PROXY_REMOTEURL=$HUB_UPSTREAM" --label "io.drydock.setting=$HUB_UPSTREAM" \
    "$REGISTRY_IMAGE"
}

step_hub_mirror() {
  begin 11 "Docker Hub mirror $HUB_MIRROR_CONTAINER"
  HUB_UPSTREAM=$HUB_MIRROR
  case $HUB_MIRROR in
    off | "")
      skipped "DRYDOCK_HUB_MIRROR is off; set it to auto or an upstream URL for a pull-through cache of Docker Hub"
      return
      ;;
    auto) HUB_UPSTREAM=https://registry-1.docker.io ;;
    http://* | https://*) ;;
    *) die "DRYDOCK_HUB_MIRROR=$HUB_MIRROR is neither off, auto nor an http(s) URL." ;;
  esac
  # Docker Hub answers /v2/ (with 401) when it is reachable. A mirror whose
  # upstream does not answer stops at once (Distribution checks it at start):
  # offline there is no mirror, and provisioning carries on.
  if ! curl -sS -m 5 -o /dev/null "$HUB_UPSTREAM/v2/" 2>/dev/null; then
    skipped "$HUB_UPSTREAM does not answer from this host (offline?); no Docker Hub mirror"
    return
  fi
  DID=()
  ensure_volume "$HUB_MIRROR_VOLUME" hub-mirror-data && DID+=("volume created")
  ensure_service "$HUB_MIRROR_CONTAINER" "$REGISTRY_IMAGE" "$REGISTRY_NETWORK" "$HUB_MIRROR_PORT" run_hub_mirror "$HUB_UPSTREAM"
  wait_for "$HUB_MIRROR_CONTAINER" "http://127.0.0.1:$HUB_MIRROR_PORT/v2/"
  HUB_MIRROR_URL=http://127.0.0.1:$HUB_MIRROR_PORT
  report_did
}

# The digest the registry serves for library/debian:TAG, or nothing.
registry_digest() {
  curl -fsS -m 5 -I \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://127.0.0.1:$REGISTRY_PORT/v2/library/debian/manifests/$1" 2>/dev/null |
    tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" { print $2 }'
}

step_seed_registry() {
  mkdir -p "$STATE_DIR/registry"
  local tag
  for tag in "$SUITE" "$SUITE-slim"; do
    begin 9 "push debian:$tag to the registry as library/debian:$tag"
    local id record="$STATE_DIR/registry/library-debian-$tag" rec_id="" rec_digest="" remote
    id=$(image_id "debian:$tag")
    [[ -f $record ]] && read -r rec_id rec_digest <"$record"
    remote=$(registry_digest "$tag" || true)
    if [[ -n $remote && $rec_id == "$id" && $rec_digest == "$remote" ]]; then
      skipped "registry has it, ${remote:7:12}"
      continue
    fi
    local ref="127.0.0.1:$REGISTRY_PORT/library/debian:$tag" out digest
    run docker tag "debian:$tag" "$ref"
    log "+ docker push $ref"
    if ! out=$(docker push "$ref" 2>&1); then
      echo "$out" >>"$LOG"
      docker rmi "$ref" >/dev/null 2>&1 || true
      die "docker push $ref failed: $(echo "$out" | tail -n 1)" "See $LOG."
    fi
    echo "$out" >>"$LOG"
    run docker rmi "$ref" # removes only this extra tag
    digest=$(echo "$out" | sed -n 's/.*digest: \(sha256:[0-9a-f]*\).*/\1/p' | tail -n 1)
    [[ -n $digest ]] || digest=$(registry_digest "$tag" || true)
    echo "$id $digest" >"$record"
    done_ "pushed ${digest:7:12}"
  done
}

write_env() {
  local tmp=$STATE_DIR/provision.env.tmp
  cat >"$tmp" <<EOF
# Written by scripts/provision.sh at $(date -u +%FT%TZ). Shell syntax.
SANDBOX_IMAGE=$SANDBOX_IMAGE
REGISTRY_IMAGE=$REGISTRY_IMAGE
NETWORK=$NETWORK
REGISTRY_NETWORK=$REGISTRY_NETWORK
REGISTRY_CONTAINER=$REGISTRY_CONTAINER
REGISTRY_PORT=$REGISTRY_PORT
REGISTRY_URL=http://127.0.0.1:$REGISTRY_PORT
APT_CACHE_IMAGE=$APT_CACHE_IMAGE
APT_CACHE_NETWORK=$APT_CACHE_NETWORK
APT_CACHE_CONTAINER=$APT_CACHE_CONTAINER
APT_CACHE_VOLUME=$APT_CACHE_VOLUME
APT_CACHE_PORT=$APT_CACHE_PORT
APT_CACHE_URL=http://127.0.0.1:$APT_CACHE_PORT
HUB_MIRROR_URL=$HUB_MIRROR_URL
EOF
  mv "$tmp" "$STATE_DIR/provision.env"
}

main() {
  local arg
  for arg in "$@"; do
    case $arg in
      --for-tests) FOR_TESTS=1 ;;
      -h | --help) usage; exit 0 ;;
      *) usage >&2; die "unknown option: $arg" ;;
    esac
  done
  local start
  start=$(now)
  # Directories first (if not root this fails; the precondition says why).
  if [[ $(id -u) -eq 0 ]]; then
    mkdir -p "$LOG_DIR" "$STATE_DIR" "$CACHE_DIR"
    exec 9>"$STATE_DIR/provision.lock"
    flock -n 9 || { say "another provision.sh is running; waiting for it…"; flock 9; }
    log "==== provision.sh $* (pid $$)"
  fi
  step_preconditions
  step_packages
  step_dockerd
  SANDBOX_IMAGE=drydock/sandbox:$(image_hash sandbox)
  REGISTRY_IMAGE=drydock/registry:$(image_hash registry)
  APT_CACHE_IMAGE=drydock/apt-cache:$(image_hash apt-cache)
  # Each image is its own debootstrap, mostly waiting on downloads and dpkg:
  # side by side they take about as long as the largest alone.
  in_parallel "base:step_base_images" "sandbox:build_app_image sandbox sandbox-image 5" "registry:build_app_image registry registry-image 6" \
    "apt-cache:build_app_image apt-cache apt-cache-image 7"
  step_registry
  step_seed_registry
  step_apt_cache
  step_hub_mirror
  write_env
  say "ready in $(since "$start")s — sandbox image $SANDBOX_IMAGE (also :latest), registry http://127.0.0.1:$REGISTRY_PORT (sandboxes on network $NETWORK reach it through the agent's registry gateway), package cache http://127.0.0.1:$APT_CACHE_PORT${HUB_MIRROR_URL:+, Docker Hub mirror $HUB_MIRROR_URL}"
}

main "$@"
