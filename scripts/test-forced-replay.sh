#!/usr/bin/env bash
# Forced replay: the integration and reliability tests again with a worker
# cache of 0 (every workflow task replays the whole history), then the records
# test with a cache of 3 (frequent evictions), so a workflow that decides
# differently on replay — or a record that ends different from the workflow —
# fails a test. Extra arguments go to jest for both runs (default: as above).
# scripts/test.sh runs the two halves beside the slow suite, which mostly waits:
#   --without-records  the integration and reliability tests at cache 0, except the records test
#   --records-only     the records test (its 200 runs) at cache 0, then at cache 3
set -euo pipefail
cd "$(dirname "$0")/.."
records=tests/reliability/records.test.ts
at0=(tests/integration tests/reliability)
# Evictions every few workflows: the records test's concurrent steps on every family.
at3=("$records")
ignore=()
case "${1:-}" in
  --without-records)
    shift
    ignore=(--testPathIgnorePatterns "$records" /node_modules/ /tests/slow/)
    at3=()
    ;;
  --records-only)
    shift
    at0=("$records")
    ;;
  *)
    if [ $# -gt 0 ]; then
      at0=("$@")
      at3=("$@")
    fi
    ;;
esac
status=0
echo "[test $(date +%T)] forced replay: maxCachedWorkflows=0 (${at0[*]})" >&2
DUBAN_TEST_MAX_CACHED_WORKFLOWS=0 npx --no-install jest --ci "${ignore[@]}" -- "${at0[@]}" || status=1
if [ ${#at3[@]} -gt 0 ]; then
  echo "[test $(date +%T)] forced replay: maxCachedWorkflows=3 (${at3[*]})" >&2
  DUBAN_TEST_MAX_CACHED_WORKFLOWS=3 npx --no-install jest --ci -- "${at3[@]}" || status=1
fi
exit $status
