# Shared by start.sh, test.sh and bench.sh: everything that must be in place
# before Drydock runs. Sourced, not executed. Each step is skipped when up to date.
#   prepare_all [provision options]   the host and the code side by side (below)
#   prepare_environment   the agent secret and the database URL, exported
#   prepare_code          npm dependencies, Prisma client, web build, migrations
#   prepare_web_build     next build when the sources changed since the last one

DRYDOCK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DRYDOCK_STATE="$DRYDOCK_ROOT/.drydock"
# What the code's preparation prints beyond one line per step (npm, next build).
PREPARE_LOG="$DRYDOCK_STATE/prepare.log"
export NEXT_TELEMETRY_DISABLED=1

say() { printf '[drydock] %s\n' "$*"; }

# quietly CMD...: runs a command with its output in PREPARE_LOG; on failure
# shows the end of it.
quietly() {
  printf '+ %s\n' "$*" >>"$PREPARE_LOG"
  if ! "$@" >>"$PREPARE_LOG" 2>&1 </dev/null; then
    say "ERROR: $* failed; the last lines of $PREPARE_LOG:" >&2
    tail -n 25 "$PREPARE_LOG" | sed 's/^/[drydock]   | /' >&2
    return 1
  fi
}

seconds_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# prepare_all [provision options]: provisioning the host (packages, dockerd,
# images) and preparing the code (npm, Prisma, next build) share nothing, so
# they run side by side; on a fresh machine that roughly halves the wait.
prepare_all() {
  prepare_environment
  local started=$EPOCHREALTIME host=0 code=0 code_pid
  prepare_code &
  code_pid=$!
  bash "$DRYDOCK_ROOT/scripts/provision.sh" "$@" || host=$?
  wait "$code_pid" || code=$?
  if ((host != 0 || code != 0)); then
    say "ERROR: preparation failed (the lines above say where; host: exit $host, code: exit $code)." >&2
    return 1
  fi
  say "prepared in $(seconds_since "$started")s"
}

prepare_environment() {
  mkdir -p "$DRYDOCK_STATE"
  local secret_file="$DRYDOCK_STATE/agent-secret"
  if [[ ! -s "$secret_file" ]]; then
    (umask 077 && node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("hex"))' >"$secret_file")
  fi
  DRYDOCK_AGENT_SECRET=${DRYDOCK_AGENT_SECRET:-$(cat "$secret_file")}
  DATABASE_URL=${DATABASE_URL:-file:$DRYDOCK_STATE/drydock.db}
  export DRYDOCK_AGENT_SECRET DATABASE_URL
}

# prepare_code: npm dependencies, the Prisma client, the web build and the
# database's migrations. The one native addon (better-sqlite3, about a minute
# of compiling) builds while the client is generated and the web app built:
# neither loads it. Only the migrations wait for it.
prepare_code() {
  cd "$DRYDOCK_ROOT" || return 1
  mkdir -p "$DRYDOCK_STATE"
  : >"$PREPARE_LOG"
  local stamp_file="$DRYDOCK_STATE/dependencies.stamp" stamp native_pid="" started=$EPOCHREALTIME
  stamp=$(sha256sum package-lock.json | cut -c1-16)
  if [[ -d node_modules && -f $stamp_file && $(cat "$stamp_file") == "$stamp" ]]; then
    say "npm dependencies … up to date"
  else
    rm -f "$stamp_file"
    say "npm dependencies … installing (npm ci; log: $PREPARE_LOG)"
    # Install scripts are run below, each deliberately: the only one Drydock
    # needs is better-sqlite3's (the others download engines or binaries that
    # this project does not use, and fail offline).
    quietly npm ci --ignore-scripts --no-audit --no-fund || return 1
    say "npm dependencies … installed in $(seconds_since "$started")s; compiling better-sqlite3 alongside"
    quietly npm rebuild better-sqlite3 &
    native_pid=$!
  fi
  quietly bash prisma/generate.sh || return 1
  prepare_web_build || return 1
  if [[ -n $native_pid ]]; then
    wait "$native_pid" || return 1
    say "better-sqlite3 … compiled ($(seconds_since "$started")s since npm ci began)"
    echo "$stamp" >"$stamp_file"
  fi
  quietly npx tsx prisma/migrate.ts || return 1
  say "database … migrated ($DATABASE_URL)"
}

# The web build is reused while nothing it is made from has changed.
prepare_web_build() {
  cd "$DRYDOCK_ROOT" || return 1
  local stamp_file="$DRYDOCK_STATE/web-build.stamp" stamp started=$EPOCHREALTIME
  stamp=$(git ls-files -s apps/web packages package-lock.json | sha256sum | cut -c1-16)
  stamp+="-$(git diff --no-ext-diff -- apps/web packages | sha256sum | cut -c1-16)"
  if [[ -f apps/web/.next/BUILD_ID && -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp" ]]; then
    say "web build … up to date"
  else
    say "web build … building (next build)"
    quietly npm run build --silent || return 1
    echo "$stamp" >"$stamp_file"
    say "web build … built in $(seconds_since "$started")s"
  fi
}
