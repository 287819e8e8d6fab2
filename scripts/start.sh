#!/usr/bin/env bash
# `npm start`: provision the host (Docker engine, images, registry), install
# dependencies, prepare the database and the web build, then serve.
set -euo pipefail
source "$(dirname "$0")/lib/prepare.sh"
bash "$DRYDOCK_ROOT/scripts/provision.sh"
prepare_dependencies
prepare_environment
prepare_database
prepare_web_build
exec bash "$DRYDOCK_ROOT/scripts/serve.sh"
