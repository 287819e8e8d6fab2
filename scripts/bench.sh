#!/usr/bin/env bash
# `npm run bench:NAME`: prepares what the benchmark needs (as `npm start`
# does, with a database of its own) and runs scripts/bench-NAME.ts, whose
# last line on stdout is one JSON object.
set -euo pipefail
source "$(dirname "$0")/lib/prepare.sh"
name=${1:?usage: bench.sh NAME}
export DATABASE_URL="file:$DRYDOCK_STATE/bench.db"
prepare_all >&2
cd "$DRYDOCK_ROOT"
exec npx tsx "scripts/bench-$name.ts"
