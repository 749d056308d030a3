#!/usr/bin/env bash
# Date proof: no test may depend on the day it runs. The time-skipping suites
# run again with the test server's clock moved to other calendar points first
# (DUBAN_TEST_CLOCK, applied by tests/support/timeSkipping.ts to every new
# environment). Two points carry four edges: 23:30 on 31 January (the last day
# of a 31-day month, a short month next, the next day an hour away) and 00:10
# on the next leap day (whose UTC date is still the day before).
# DUBAN_DATE_POINTS narrows them (npm test runs its main suite at the first and
# only the second here). Extra arguments go to jest (default: every
# time-skipping test file).
set -euo pipefail
cd "$(dirname "$0")/.."
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(tests/workflows)
# Every point runs even when one fails: which points fail tells what the date breaks.
failed=()
read -r -a points <<<"${DUBAN_DATE_POINTS:-01-31T23:30 02-29T00:10}"
for point in "${points[@]}"; do
  echo "[test $(date +%T)] date proof: test clocks start at the next ${point} (Asia/Shanghai)" >&2
  DUBAN_TEST_CLOCK=$point npx --no-install jest --ci -- "${tests[@]}" || failed+=("$point")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "[test $(date +%T)] date proof failed at: ${failed[*]}" >&2
  exit 1
fi
