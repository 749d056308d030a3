#!/usr/bin/env bash
# Forced replay: the integration and reliability tests again with a worker
# cache of 0 (every workflow task replays the whole history) and of 3
# (frequent evictions), so a workflow that decides differently on replay — or a
# record that ends different from the workflow — fails a test. Extra arguments
# go to jest (default: the dev-server integration and reliability tests).
set -euo pipefail
cd "$(dirname "$0")/.."
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(tests/integration tests/reliability)
for size in 0 3; do
  echo "[test] forced replay: maxCachedWorkflows=$size" >&2
  DUBAN_TEST_MAX_CACHED_WORKFLOWS=$size npx --no-install jest --ci -- "${tests[@]}"
done
