#!/usr/bin/env bash
# `npm start`: provision the host (Docker engine, images, registry) while the
# code is prepared (npm dependencies, Prisma client, web build, database),
# then serve.
set -euo pipefail
source "$(dirname "$0")/lib/prepare.sh"
prepare_all
exec bash "$DRYDOCK_ROOT/scripts/serve.sh"
