#!/usr/bin/env bash
# Configures and builds one build tree. Usage:
#   scripts/build.sh [gcc|clang-san|fuzz]   (default gcc)
#     gcc        build/            g++ 12 at -O2, everything (tests, benchmarks, apps); iscsim and
#                                  initiator_perf with link-time optimisation (cmake/IscsiLto.cmake)
#     clang-san  build-clang-san/  clang-14 at -O1 with ASan+UBSan: tests and fuzz-corpus replays
#     fuzz       build-fuzz/       clang-14 with ASan+UBSan and libFuzzer coverage on all code;
#                                  scripts/fuzz.sh builds only the harness it runs from here
# The test trees carry no debug information: it roughly doubles compile time and the suite must
# stay well under CI's time budget. For line numbers in a sanitizer report or a debugger, add
# `-- -DCMAKE_CXX_FLAGS=-g` (the tree rebuilds once).
# Both test trees compile as unity builds (CMAKE_UNITY_BUILD, 8 sources per batch): the shared
# headers (GoogleTest, Boost.Asio, fmt, the PDU and engine headers) are parsed once per batch
# instead of once per file, which halves the build, the longest part of the suite. Helpers in
# anonymous namespaces must therefore have names unique within their folder.
# Extra CMake arguments may follow after `--`.
set -euo pipefail
cd "$(dirname "$0")/.."

flavour="${1:-gcc}"
shift || true
[ "${1:-}" = "--" ] && shift
jobs="${ISCSI_JOBS:-$(nproc)}"
build_all=1
unity=(-DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=8)

case "$flavour" in
  gcc)
    dir=build
    args=(-DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG"
          -DISCSI_WERROR=ON -DISCSI_LTO=ON "${unity[@]}")
    ;;
  clang-san)
    # -O1 is what the sanitizer documentation recommends: fast enough to run, quick to build.
    # Google Benchmark programs are left out (the suite runs them in the gcc tree only), but
    # the load test's client is still built: its run is the LeakSanitizer check of the target.
    dir=build-clang-san
    args=(-DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O1"
          -DISCSI_WERROR=ON "-DISCSI_SANITIZE=address;undefined" -DISCSI_FUZZ=OFF
          -DISCSI_BUILD_BENCH=OFF "${unity[@]}")
    ;;
  fuzz)
    dir=build-fuzz
    args=(-DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo -DISCSI_WERROR=ON
          "-DISCSI_SANITIZE=address;undefined" -DISCSI_FUZZ=ON -DISCSI_BUILD_BENCH=OFF)
    build_all=0
    ;;
  *)
    echo "build.sh: unknown flavour '$flavour' (gcc, clang-san or fuzz)" >&2
    exit 2
    ;;
esac

cmake -S . -B "$dir" -G Ninja "${args[@]}" "$@" >/dev/null
if [ "$build_all" = 1 ]; then
  cmake --build "$dir" -j "$jobs"
  echo "build.sh: $flavour build ready in $dir/"
else
  echo "build.sh: $flavour tree configured in $dir/ (build a target with cmake --build $dir --target NAME)"
fi
