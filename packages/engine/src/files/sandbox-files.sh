# Drydock's file operations, run inside a sandbox by the engine:
#   bash -c "<this script>" drydock-files WORKSPACE OP ARGS...
#
# The engine has already checked every path (relative, no "..", no NUL) and
# split it into a folder and a name. What it cannot do from outside is decide
# where a path really leads: symlinks live in the sandbox's filesystem. So
# this script opens each folder on the way, one name at a time, and asks the
# kernel where the open descriptor really is (/proc/$$/fd/N). Everything then
# happens through that descriptor: a name swapped for a symlink after the
# check cannot redirect the operation out of the workspace.
#
# Exit codes, mapped to errors by the engine: 3 leads out of the workspace,
# 4 not found, 5 already exists, 6 wrong type, 7 changed since ifMatch,
# 8 the workspace is missing or not a plain folder, 9 a parent is not a folder.
set -uo pipefail
ws=$1
op=$2
shift 2

inside() { case $1 in "$ws" | "$ws"/*) return 0 ;; *) return 1 ;; esac; }
real_fd() { readlink "/proc/$$/fd/$1"; }
stat_line() { stat -c '%s %.3Y' -- "$1"; }

# A symlink whose target does not exist: refused if it points out, else missing.
dangling() {
  local target
  target=$(realpath -m -- "$1" 2>/dev/null) && inside "$target" && exit 4
  exit 3
}

# open_workspace [create]: opens the workspace as $ws_fd; it must be a real folder.
open_workspace() {
  if [ -n "${1:-}" ] && [ ! -e "$ws" ] && [ ! -L "$ws" ]; then mkdir -p -- "$ws" || exit 1; fi
  [ -d "$ws" ] || exit 8
  exec {ws_fd}<"$ws" || exit 8
  [ "$(real_fd "$ws_fd")" = "$ws" ] || exit 8
}

# walk DIR [create]: opens DIR (relative, "" for the workspace) one name at a
# time and leaves the path of its open descriptor in $at.
walk() {
  local rest=$1 create=${2:-} fd=$ws_fd part p next
  while [ -n "$rest" ]; do
    part=${rest%%/*}
    if [ "$part" = "$rest" ]; then rest=; else rest=${rest#*/}; fi
    p=/proc/$$/fd/$fd/$part
    if [ ! -e "$p" ]; then
      [ -L "$p" ] && dangling "$p"
      [ -n "$create" ] || exit 4
      mkdir -- "$p" 2>/dev/null || [ -d "$p" ] || exit 1
    fi
    [ -d "$p" ] || exit 9
    exec {next}<"$p" || exit 1
    inside "$(real_fd "$next")" || exit 3
    fd=$next
  done
  at=/proc/$$/fd/$fd
}

# exists PATH: true for anything there, a dangling symlink included.
exists() { [ -e "$1" ] || [ -L "$1" ]; }

op_list() {
  local dir=$1 max=$2
  # No workspace yet: an empty tree.
  exists "$ws" || exit 0
  open_workspace
  walk "$dir"
  cd "$at" || exit 1
  # Shallowest first, so a cap cuts the deepest entries and keeps the top levels whole.
  find . -mindepth 1 -printf '%d\t%y\t%s\t%T@\t%P\0' | sort -z -s -n | head -z -n "$((max + 1))"
}

op_read() {
  local dir=$1 name=$2 limit=$3 p fd size mtime
  open_workspace
  walk "$dir"
  p=$at/$name
  if [ ! -e "$p" ]; then [ -L "$p" ] && dangling "$p"; exit 4; fi
  # Checked before opening too: opening a FIFO would block.
  [ -f "$p" ] || exit 6
  exec {fd}<"$p" || exit 1
  inside "$(real_fd "$fd")" || exit 3
  [ -f "/proc/$$/fd/$fd" ] || exit 6
  read -r size mtime < <(stat -L -c '%s %.3Y' "/proc/$$/fd/$fd")
  echo "$size $mtime"
  # One byte over the limit tells the engine it is too large; a large file is only sampled.
  if [ "$size" -gt "$limit" ]; then head -c 8192 <&"$fd"; else head -c "$((limit + 1))" <&"$fd"; fi | base64 -w0
}

op_write() {
  local dir=$1 name=$2 if_match=$3 mode=${4:-} p target rel tmp current
  open_workspace create
  walk "$dir" create
  p=$at/$name
  if [ -L "$p" ]; then
    # Writing through a symlink writes its target, if that stays in the workspace.
    target=$(realpath -m -- "$p" 2>/dev/null) && inside "$target" && [ "$target" != "$ws" ] || exit 3
    rel=${target#"$ws"/}
    if [ "${rel%/*}" = "$rel" ]; then walk "" create; else walk "${rel%/*}" create; fi
    p=$at/${rel##*/}
    # Still a symlink: a loop, or swapped meanwhile.
    [ -L "$p" ] && exit 3
  fi
  if exists "$p" && [ ! -f "$p" ]; then exit 6; fi
  if [ -n "$if_match" ]; then
    [ -f "$p" ] || exit 7
    current=$(sha256sum <"$p") || exit 1
    current=${current%% *}
    if [ "$current" != "$if_match" ]; then
      echo "$current $(stat_line "$p")"
      exit 7
    fi
  fi
  tmp=$(mktemp -p "$at" .drydock-write.XXXXXX) || exit 1
  if [ -n "$mode" ]; then
    chmod -- "$mode" "$tmp" || exit 1
  elif [ -f "$p" ]; then
    chmod --reference="$p" -- "$tmp"
  else
    chmod 0644 -- "$tmp"
  fi
  # rename(2) replaces the name atomically: readers see the old file or the new one, never half.
  if ! cat >"$tmp" || ! mv -T -- "$tmp" "$p"; then
    rm -f -- "$tmp"
    exit 1
  fi
  stat_line "$p"
}

op_create() {
  local dir=$1 name=$2 kind=$3 p
  open_workspace create
  walk "$dir" create
  p=$at/$name
  exists "$p" && exit 5
  if [ "$kind" = dir ]; then
    mkdir -- "$p" 2>/dev/null || exit 5
  else
    # noclobber opens with O_EXCL: never truncates or follows something that appeared meanwhile.
    (set -C && : >"$p") 2>/dev/null || exit 5
  fi
  stat_line "$p"
}

op_rename() {
  local from_dir=$1 from_name=$2 to_dir=$3 to_name=$4 src dst
  open_workspace
  walk "$from_dir"
  src=$at/$from_name
  exists "$src" || exit 4
  walk "$to_dir" create
  dst=$at/$to_name
  exists "$dst" && exit 5
  mv -T -n -- "$src" "$dst" || exit 1
  # mv -n succeeds silently when the target appeared meanwhile.
  exists "$src" && exit 5
  exit 0
}

op_remove() {
  local dir=$1 name=$2 p
  open_workspace
  walk "$dir"
  p=$at/$name
  exists "$p" || exit 4
  # rm never follows symlinks: a link is removed, not what it points to.
  rm -rf -- "$p" || exit 1
}

# write_many: files on stdin, each as DIR NUL NAME NUL SIZE NUL MODE NUL and then
# SIZE bytes (MODE: octal permission bits, or empty to keep or default them),
# written in order, each exactly as one write (a later one of the same
# path wins). Prints one line per file written; stops at the first that fails,
# with its status. `read` takes a pipe byte by byte and `head -c` takes no
# more than it is asked for, so each file gets its own bytes and no others.
op_write_many() {
  local dir name size mode
  while IFS= read -r -d '' dir && IFS= read -r -d '' name && IFS= read -r -d '' size && IFS= read -r -d '' mode; do
    case $mode in '' | [0-7][0-7][0-7] | [0-7][0-7][0-7][0-7]) ;; *) exit 2 ;; esac
    head -c "$size" | bash -c "$BASH_EXECUTION_STRING" drydock-files "$ws" write "$dir" "$name" "" "$mode" || exit
  done
}

# client_gone: waits up to half a second for the engine to close stdin. A docker
# exec outlives its client, so that EOF is the signal to stop.
client_gone() {
  local status
  read -r -t 0.5 _
  status=$?
  [ "$status" -ne 0 ] && [ "$status" -le 128 ]
}

op_watch() {
  local identity watcher
  command -v inotifywait >/dev/null || exit 127
  until [ -d "$ws" ] && [ "$(realpath -- "$ws")" = "$ws" ]; do
    echo "drydock-files: waiting for the workspace" >&2
    client_gone && exit 0
  done
  identity=$(stat -c %d:%i -- "$ws")
  inotifywait -m -r --format '%e%0%w%f%0' --no-newline --exclude '/\.drydock-write\.[^/]*$' \
    -e create -e modify -e close_write -e delete -e moved_from -e moved_to "$ws" &
  watcher=$!
  # inotify does not always say when the watched folder itself goes (on overlayfs a
  # moved folder is copied, then deleted), so check that it is still the same one.
  while kill -0 "$watcher" 2>/dev/null; do
    if client_gone; then
      kill "$watcher"
      exit 0
    fi
    if [ "$(stat -c %d:%i -- "$ws" 2>/dev/null)" != "$identity" ]; then
      echo "drydock-files: the workspace was replaced" >&2
      kill "$watcher"
      exit 0
    fi
  done
  wait "$watcher"
}

case $op in
  list | read | write | create | rename | remove | watch) "op_$op" "$@" ;;
  write-many) op_write_many ;;
  *) echo "unknown operation: $op" >&2; exit 2 ;;
esac
