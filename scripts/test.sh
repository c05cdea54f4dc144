#!/usr/bin/env bash
# The whole test suite: install what is missing, build, run every unit and black-box test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j "$(nproc)" "$@"
