#!/usr/bin/env bash
# What `npm test` runs: install dependencies if needed, generate the Prisma
# client, type-check, lint, then run jest (whose globalSetup starts real services).
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

# Type-aware lint (eslint.config.mjs): floating promises, side-effect imports in workflows/.
echo "[test] eslint" >&2
npm run --silent lint

# The web console, type-checked against the API's OpenAPI document (a changed
# route fails here), then built for the browser tests.
echo "[test] web console" >&2
ensure_web_build

# The OpenAPI document (dist/openapi.json, just written by the console's build)
# as client generators see it: scripts/redocly.yaml makes every finding an error.
echo "[test] redocly lint dist/openapi.json" >&2
npx --no-install redocly lint dist/openapi.json --config scripts/redocly.yaml --format=summary 2>&1 | grep -v '^\s*$' | grep -v '║\|╔\|╚' >&2

# Bundle the workflows as production does: an import with side effects fails here.
echo "[test] workflow bundle" >&2
npx --no-install tsx scripts/build-workflow-bundle.ts dist/workflow-bundle.js 2>&1 | tail -n 1

# Fetch/build the external tools up front so their (one-time, long) install
# shows progress here rather than inside jest's globalSetup.
bash scripts/tools.sh all

# With arguments: just those tests. Without (CI): the main suite, the date proof
# (the time-skipping suites from three other calendar points), the forced-replay
# re-runs of the workflow tests (worker cache 0 and 3), then the slow
# reliability suite (tests/slow, see jest.slow.config.js).
if [ $# -gt 0 ]; then
  exec npx --no-install jest --ci "$@"
fi
npx --no-install jest --ci
bash scripts/test-dates.sh
bash scripts/test-forced-replay.sh
echo "[test] slow reliability suite (tests/slow)" >&2
exec npx --no-install jest --ci --config jest.slow.config.js
