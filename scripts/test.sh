#!/usr/bin/env bash
# Builds and runs every test, from a fresh Debian machine: packages, g++ build and its tests,
# then the clang-14 build with AddressSanitizer+UndefinedBehaviorSanitizer (which also builds
# the libFuzzer harnesses) and its tests. Safe to run again; rebuilds incrementally.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${ISCSI_JOBS:-$(nproc)}"

bash scripts/install-deps.sh

echo "== g++ build and tests =="
bash scripts/build.sh gcc
ctest --test-dir build -j "$jobs" --output-on-failure --timeout 600

echo "== clang-14 ASan+UBSan build and tests =="
bash scripts/build.sh clang-san
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-clang-san -j "$jobs" --output-on-failure --timeout 900 -LE bench
echo "test.sh: all tests passed"
