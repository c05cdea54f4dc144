#!/usr/bin/env bash
# The whole test suite: install what is missing, build, run every unit and black-box test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j "$(nproc)" "$@"
# Then everything again under AddressSanitizer + UndefinedBehaviorSanitizer, with short fuzzer
# runs (scripts/sanitize.sh, build-sanitize/): in CI (CI=true) or when asked (KADE_FULL=1).
if [[ ${CI:-} == true || ${KADE_FULL:-} == 1 ]]; then
  scripts/sanitize.sh "$@"
fi
