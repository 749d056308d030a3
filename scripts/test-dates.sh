#!/usr/bin/env bash
# Date proof: no test may depend on the day it runs. The time-skipping suites
# run again with the test server's clock moved to other calendar points first
# (DUBAN_TEST_CLOCK, applied by tests/support/timeSkipping.ts to every new
# environment): the end of January (a short month next), the next leap day and
# 23:30 on the last day of a 31-day month. Extra arguments go to jest
# (default: every time-skipping test file).
set -euo pipefail
cd "$(dirname "$0")/.."
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(tests/workflows)
for point in 01-31T00:10 02-29T12:00 07-31T23:30; do
  echo "[test] date proof: test clocks start at the next ${point} (Asia/Shanghai)" >&2
  DUBAN_TEST_CLOCK=$point npx --no-install jest --ci -- "${tests[@]}"
done
