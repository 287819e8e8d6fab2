# Shared by start.sh and test.sh: everything that must be in place before
# Drydock runs. Sourced, not executed. Each step is skipped when up to date.
#   prepare_dependencies   npm ci when node_modules is missing or stale
#   prepare_environment    the agent secret and the database URL, exported
#   prepare_database       Prisma client generated, migrations applied (offline)
#   prepare_web_build      next build when the sources changed since the last one

DRYDOCK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DRYDOCK_STATE="$DRYDOCK_ROOT/.drydock"
export NEXT_TELEMETRY_DISABLED=1

say() { printf '[drydock] %s\n' "$*"; }

prepare_dependencies() {
  cd "$DRYDOCK_ROOT"
  if [[ node_modules/.package-lock.json -nt package-lock.json ]]; then
    say "npm dependencies … up to date"
  else
    say "npm dependencies … installing (npm ci)"
    npm ci --no-audit --no-fund
  fi
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

prepare_database() {
  cd "$DRYDOCK_ROOT"
  bash prisma/generate.sh
  npx tsx prisma/migrate.ts
}

# The web build is reused while nothing it is made from has changed.
prepare_web_build() {
  cd "$DRYDOCK_ROOT"
  local stamp_file="$DRYDOCK_STATE/web-build.stamp" stamp
  stamp=$(git ls-files -s apps/web packages/protocol packages/server-kit package-lock.json | sha256sum | cut -c1-16)
  stamp+="-$(git diff --no-ext-diff -- apps/web packages/protocol packages/server-kit | sha256sum | cut -c1-16)"
  if [[ -f apps/web/.next/BUILD_ID && -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp" ]]; then
    say "web build … up to date"
  else
    say "web build … building (next build)"
    npm run build --silent
    echo "$stamp" >"$stamp_file"
  fi
}
