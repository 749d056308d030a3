#!/usr/bin/env bash
# Forced replay: the integration and reliability tests again with a worker
# cache of 0 (every workflow task replays the whole history), then the records
# test with a cache of 3 (frequent evictions), so a workflow that decides
# differently on replay — or a record that ends different from the workflow —
# fails a test. Extra arguments go to jest for both runs (default: as above).
# `--without-records` leaves out the records test's 200 runs at cache 0:
# scripts/test.sh runs them beside the slow suite, which mostly waits.
set -euo pipefail
cd "$(dirname "$0")/.."
records=tests/reliability/records.test.ts
ignore=()
if [ "${1:-}" = --without-records ]; then
  shift
  ignore=(--testPathIgnorePatterns "$records" /node_modules/ /tests/slow/)
fi
if [ $# -gt 0 ]; then
  at0=("$@"); at3=("$@")
else
  at0=(tests/integration tests/reliability)
  # Evictions every few workflows: the records test's concurrent steps on every family.
  at3=("$records")
fi
echo "[test $(date +%T)] forced replay: maxCachedWorkflows=0" >&2
DUBAN_TEST_MAX_CACHED_WORKFLOWS=0 npx --no-install jest --ci "${ignore[@]}" -- "${at0[@]}"
echo "[test $(date +%T)] forced replay: maxCachedWorkflows=3" >&2
DUBAN_TEST_MAX_CACHED_WORKFLOWS=3 npx --no-install jest --ci -- "${at3[@]}"
