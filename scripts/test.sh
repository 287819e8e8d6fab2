#!/usr/bin/env bash
# `npm test`: every test, against real parts. Provisions what the tests need
# (dockerd, images, registry, Chromium, shellcheck), then runs, in order: lint
# (`npm run lint`: Biome and shellcheck), type check, unit tests, integration
# tests (real Docker engine and sandboxes, real socket.io), the database tests
# again on PostgreSQL (Debian's, a throwaway server per test file), browser
# tests (Debian's Chromium against the built app).
# Ends with one line: "N passed, N failed".
set -uo pipefail
source "$(dirname "$0")/lib/prepare.sh"
cd "$DRYDOCK_ROOT"
results="$DRYDOCK_ROOT/test-results"
rm -rf "$results" && mkdir -p "$results"

set -e
export DATABASE_URL="file:$DRYDOCK_STATE/test.db"
rm -f "$DRYDOCK_STATE/test.db"
prepare_all --for-tests
set +e

failed_stages=()
stage() {
  local name=$1
  shift
  say "── $name"
  "$@" || failed_stages+=("$name")
}

stage lint npm run lint --silent
stage typecheck npm run typecheck --silent
stage unit npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$results/unit.json"
stage integration npx vitest run --project integration --reporter=default --reporter=json --outputFile.json="$results/integration.json"
# Every test that makes its database with createTestDatabase runs once more on PostgreSQL.
mapfile -t database_tests < <(grep -rl --include='*.test.ts' --exclude-dir=node_modules createTestDatabase apps packages scripts)
stage postgresql env DRYDOCK_TEST_DATABASE=postgresql npx vitest run --project unit --project integration \
  --reporter=default --reporter=json --outputFile.json="$results/postgresql.json" "${database_tests[@]}"
stage e2e npx playwright test -c e2e/playwright.config.ts

node scripts/test-summary.mjs "$results" "${failed_stages[@]}"
