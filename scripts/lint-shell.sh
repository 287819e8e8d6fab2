#!/usr/bin/env bash
# The shell half of `npm run lint`: shellcheck (Debian's, installed by
# `scripts/provision.sh --for-tests`) over every shell script git tracks:
# files named *.sh, and files without an extension whose first line is a
# sh or bash shebang (such as .ci/run). Settings: .shellcheckrc.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v shellcheck >/dev/null; then
  echo "shellcheck is not installed: run \`sudo bash scripts/provision.sh --for-tests\` (or \`apt-get install shellcheck\`)." >&2
  exit 1
fi

scripts=()
while IFS= read -r -d '' file; do
  [[ -f $file ]] || continue # deleted in the work tree, not yet in the index
  name=${file##*/}
  if [[ $name == *.sh ]]; then
    scripts+=("$file")
  elif [[ $name != *.* ]] && IFS= read -r first <"$file" && [[ $first =~ ^#!.*[/[:space:]](ba)?sh([[:space:]]|$) ]]; then
    scripts+=("$file")
  fi
done < <(git ls-files -z)

shellcheck "${scripts[@]}"
echo "shellcheck: ${#scripts[@]} scripts checked"
