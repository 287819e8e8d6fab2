#!/usr/bin/env bash
# Generate the Prisma clients offline (gitignored): apps/web/generated/prisma for SQLite and
# apps/web/generated/prisma-postgresql for PostgreSQL, from prisma/schema.prisma and its twin
# prisma/postgresql/schema.prisma (rewritten first from the original, see postgresql-schema.ts).
#
#   bash prisma/generate.sh           # skips in ~0.1 s when already up to date
#   bash prisma/generate.sh --force   # regenerate regardless
#
# `prisma generate` itself needs no engine binary with the prisma-client generator, but the CLI
# tries to download the native schema engine first and fails offline; pointing
# PRISMA_SCHEMA_ENGINE_BINARY at /bin/false stops that (not /bin/true: that makes other
# commands "succeed" silently). The stamp file records a hash of everything that shapes the
# output (schema, CLI and client versions, this script), so a changed schema regenerates.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="apps/web/generated/prisma"
twin_out="apps/web/generated/prisma-postgresql"
stamp="apps/web/generated/.prisma-generate.stamp"
mkdir -p apps/web/generated

inputs_hash() {
  {
    cat prisma/schema.prisma prisma/postgresql-schema.ts prisma/generate.sh
    if [[ -f prisma/postgresql/schema.prisma ]]; then cat prisma/postgresql/schema.prisma; fi
    node -p 'require("prisma/package.json").version + " " + require("@prisma/client/package.json").version'
  } | sha256sum | cut -d' ' -f1
}
key="$(inputs_hash)"

# One generate at a time (start and tests may race); re-check under the lock.
exec 9>"apps/web/generated/.prisma-generate.lock"
flock 9
if [[ "${1:-}" != "--force" && -f "$stamp" && -f "$out/client.ts" && -f "$twin_out/client.ts" && "$(cat "$stamp")" == "$key" ]]; then
  echo "prisma clients up to date ($out, $twin_out)"
  exit 0
fi
rm -f "$stamp"
./node_modules/.bin/tsx prisma/postgresql-schema.ts
for schema in prisma/schema.prisma prisma/postgresql/schema.prisma; do
  PRISMA_SCHEMA_ENGINE_BINARY=/bin/false CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1 \
    ./node_modules/.bin/prisma generate --schema "$schema"
done
# The key again: rewriting the twin may have changed it.
key="$(inputs_hash)"
echo "$key" >"$stamp"
