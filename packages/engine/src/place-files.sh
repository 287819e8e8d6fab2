#!/bin/bash
# drydock-place OWNER: run by the engine as the sandbox container's root (placement.ts).
# The script (run as the container's root) that places files read from stdin,
# each as PATH NUL SIZE NUL MODE NUL and SIZE bytes (SIZE "-": PATH is a
# folder to create, with no bytes), for OWNER (a user name).
# Every folder it creates and every file it writes is given to OWNER. It
# refuses a path that passes through a symlink, so nothing is written
# anywhere but where the lesson says; a file is replaced atomically.
set -u
owner=$1
give() { [ "$owner" = root ] || chown -h -- "$owner:$owner" "$1"; }
while IFS= read -r -d '' path && IFS= read -r -d '' size && IFS= read -r -d '' mode; do
  if [ "$size" = - ]; then dir=$path; else dir=${path%/*}; fi
  [ -n "$dir" ] || dir=/
  # Each existing part of the way must be a real folder, not a symlink.
  at=""
  IFS=/ read -r -a parts <<<"${dir#/}"
  for part in "${parts[@]}"; do
    at=$at/$part
    if [ -L "$at" ]; then echo "$at is a symlink" >&2; exit 3; fi
    if [ ! -e "$at" ]; then mkdir -- "$at" && give "$at" || exit 1; fi
    [ -d "$at" ] || { echo "$at is not a folder" >&2; exit 3; }
  done
  if [ "$size" = - ]; then echo "$path"; continue; fi
  [ -L "$path" ] && { echo "$path is a symlink" >&2; exit 3; }
  tmp=$(mktemp -p "$dir" .drydock-place.XXXXXX) || exit 1
  if ! head -c "$size" >"$tmp" || ! chmod -- "$mode" "$tmp" || ! give "$tmp" || ! mv -T -- "$tmp" "$path"; then
    rm -f -- "$tmp"
    exit 1
  fi
  echo "$path"
done
