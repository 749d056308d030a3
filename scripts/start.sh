#!/usr/bin/env bash
# What `npm start` runs: install dependencies if needed, make sure the local
# tools exist, generate the Prisma client, then hand over to scripts/dev.ts
# (PostgreSQL, Temporal, SMTP sink, worker, API; Ctrl-C stops them all).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/lib.sh
source scripts/lib.sh
ensure_node_modules

# Only the tools for services we will start ourselves (an env var pointing at an
# existing service makes the tool unnecessary).
if [ -z "${DATABASE_URL:-}" ]; then bash scripts/tools.sh postgres >/dev/null; fi
if [ -z "${TEMPORAL_ADDRESS:-}" ]; then bash scripts/tools.sh temporal >/dev/null; fi

if [ -f prisma.config.ts ]; then
  echo "[start] prisma generate" >&2
  # Prisma reads the schema's env("DATABASE_URL") before deciding which engine
  # to use; unset, it falls back to downloading the Rust query engine (fails
  # offline). generate never connects, so any well-formed URL will do.
  DATABASE_URL="${DATABASE_URL:-postgresql://generate@127.0.0.1:5432/generate}" npx --no-install prisma generate >/dev/null
fi

# The web console the API serves at / (rebuilt only when web/ or the API changed).
ensure_web_build

# exec: signals from the terminal or a supervisor reach dev.ts directly.
exec node_modules/.bin/tsx scripts/dev.ts "$@"
