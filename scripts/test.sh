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
  echo "[test $(date +%T)] prisma generate" >&2
  # Prisma reads the schema's env("DATABASE_URL") before deciding which engine
  # to use; unset, it falls back to downloading the Rust query engine (fails
  # offline). generate never connects, so any well-formed URL will do.
  DATABASE_URL="${DATABASE_URL:-postgresql://generate@127.0.0.1:5432/generate}" npx --no-install prisma generate >/dev/null
fi

if [ -f tsconfig.json ]; then
  echo "[test $(date +%T)] tsc --noEmit" >&2
  npx --no-install tsc --noEmit -p .
fi

# Type-aware lint (eslint.config.mjs): floating promises, side-effect imports in workflows/.
echo "[test $(date +%T)] eslint" >&2
npm run --silent lint

# The web console, type-checked against the API's OpenAPI document (a changed
# route fails here), then built for the browser tests.
echo "[test $(date +%T)] web console" >&2
ensure_web_build

# The OpenAPI document (dist/openapi.json, just written by the console's build)
# as client generators see it: scripts/redocly.yaml makes every finding an error.
echo "[test $(date +%T)] redocly lint dist/openapi.json" >&2
npx --no-install redocly lint dist/openapi.json --config scripts/redocly.yaml --format=summary 2>&1 | grep -v '^\s*$' | grep -v '║\|╔\|╚' >&2

# Bundle the workflows as production does: an import with side effects fails here.
echo "[test $(date +%T)] workflow bundle" >&2
npx --no-install tsx scripts/build-workflow-bundle.ts dist/workflow-bundle.js 2>&1 | tail -n 1
# The tests' workers load this bundle (tests/support/deps.ts) instead of running webpack each.
export DUBAN_TEST_WORKFLOW_BUNDLE="$PWD/dist/workflow-bundle.js"

# Fetch/build the external tools up front so their (one-time, long) install
# shows progress here rather than inside jest's globalSetup.
bash scripts/tools.sh all

# With arguments: just those tests. Without (CI): the main suite, its time-skipping
# tests started at the date proof's first calendar point, then the slow reliability
# suite (tests/slow, see jest.slow.config.js) and, beside it, two chains: the rest of
# the date proof (the time-skipping suites from its second calendar point) followed
# by the forced-replay re-run of the integration and reliability tests at worker
# cache 0; and the records test's 200 runs at cache 0 followed by its run at cache 3,
# then the benchmarks' smoke run (`npm run bench -- --quick`: the harness still runs,
# whatever its figures; RESULTS.md is left alone).
# They overlap because the slow suite mostly waits (outages, restarts, kills) and
# the time-skipping tests mostly wait on their own Java test servers; each runs on
# services of its own. Their output follows the slow suite's.
if [ $# -gt 0 ]; then
  exec npx --no-install jest --ci "$@"
fi
# The first calendar point of scripts/test-dates.sh: a main suite whose time-skipping
# tests pass there has carried that point's proof, which need not run them again.
first_point=01-31T23:30
echo "[test $(date +%T)] main suite (time-skipping tests from the next ${first_point}, Asia/Shanghai)" >&2
DUBAN_TEST_CLOCK=$first_point npx --no-install jest --ci

# The processes as compiled JavaScript (tsconfig.build.json) for what follows: the slow suite
# starts workers ~100 times (tests/support/workerProcess.ts prebuiltApp), ~1 s each instead of tsx's several.
echo "[test $(date +%T)] compiled JavaScript for the worker processes" >&2
export DUBAN_TEST_APP_DIR="$PWD/dist/test-app"
rm -rf "$DUBAN_TEST_APP_DIR"
npx --no-install tsc -p tsconfig.build.json --outDir "$DUBAN_TEST_APP_DIR"

beside_names=()
beside_pids=()
beside_logs=()
# Starts a command in its own process group (an interrupted run stops it too), output to a file.
beside() {
  local name=$1 log
  shift
  log="$(mktemp)"
  beside_names+=("$name")
  echo "[test $(date +%T)] ${name} started beside the slow suite (its output follows)" >&2
  setsid "$@" >"$log" 2>&1 &
  beside_pids+=($!)
  beside_logs+=("$log")
}
# Both steps of a chain run even when the first fails.
beside "date proof, then forced replay at cache 0" bash -c \
  'status=0; DUBAN_DATE_POINTS=02-29T00:10 bash scripts/test-dates.sh || status=1; bash scripts/test-forced-replay.sh --without-records || status=1; exit $status'
beside "forced replay: the records test at cache 0, then 3; bench --quick" bash -c \
  'status=0; bash scripts/test-forced-replay.sh --records-only || status=1; LOG_LEVEL=warn npx --no-install tsx bench/run.ts --quick --no-write || status=1; exit $status'
trap 'for p in "${beside_pids[@]}"; do kill -- "-$p" 2>/dev/null || true; done' INT TERM
echo "[test $(date +%T)] slow reliability suite (tests/slow)" >&2
slow_status=0
npx --no-install jest --ci --config jest.slow.config.js || slow_status=$?
statuses=("slow suite: exit ${slow_status}")
failed=$slow_status
for i in "${!beside_pids[@]}"; do
  status=0
  wait "${beside_pids[$i]}" || status=$?
  cat "${beside_logs[$i]}" >&2
  rm -f "${beside_logs[$i]}"
  statuses+=("${beside_names[$i]}: exit ${status}")
  [ "$status" -eq 0 ] || failed=1
done
trap - INT TERM
(IFS=';'; echo "[test $(date +%T)] ${statuses[*]}" >&2)
[ "$failed" -eq 0 ]
