#!/usr/bin/env bash
# The sanitizer pass: everything built with clang, AddressSanitizer and UndefinedBehaviorSanitizer
# (the "sanitize" preset, in build-sanitize/), then the unit tests, the black-box tests and a short
# run of each libFuzzer driver over its seed corpus. scripts/test.sh runs this when CI=true or
# KADE_FULL=1. Usage: scripts/sanitize.sh [ctest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset sanitize >/dev/null
nice -n 5 cmake --build --preset sanitize
# Any report fails the test that triggered it; leaks are reported at exit.
# new_delete_type_mismatch=0: Debian's libxapian (1.4) frees an object inside Database::check with
# a sized delete of another size (440 vs 432 bytes, all within libxapian); the bundle check calls it.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:new_delete_type_mismatch=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp}  # known findings, each with an owner
ctest --preset sanitize -j "$(nproc)" "$@"
