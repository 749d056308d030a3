#!/usr/bin/env bash
# What `npm test` runs: install dependencies if needed, generate the Prisma
# client, type-check, then run jest (whose globalSetup starts real services).
# Extra arguments go to jest, e.g. `npm test -- tests/integration`.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/lib.sh
source scripts/lib.sh
ensure_node_modules

if [ -f prisma.config.ts ]; then
  echo "[test] prisma generate" >&2
  # Prisma reads the schema's env("DATABASE_URL") before deciding which engine
  # to use; unset, it falls back to downloading the Rust query engine (fails
  # offline). generate never connects, so any well-formed URL will do.
  DATABASE_URL="${DATABASE_URL:-postgresql://generate@127.0.0.1:5432/generate}" npx --no-install prisma generate >/dev/null
fi

if [ -f tsconfig.json ]; then
  echo "[test] tsc --noEmit" >&2
  npx --no-install tsc --noEmit -p .
fi

# Fetch/build the external tools up front so their (one-time, long) install
# shows progress here rather than inside jest's globalSetup.
bash scripts/tools.sh all

exec npx --no-install jest --ci "$@"
