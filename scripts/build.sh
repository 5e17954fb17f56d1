#!/usr/bin/env bash
# Configures and builds one build tree. Usage:
#   scripts/build.sh [gcc|clang-san]   (default gcc)
#     gcc        build/            g++ 12, RelWithDebInfo, everything
#     clang-san  build-clang-san/  clang-14 with ASan+UBSan and libFuzzer harnesses
# Extra CMake arguments may follow after `--`.
set -euo pipefail
cd "$(dirname "$0")/.."

flavour="${1:-gcc}"
shift || true
[ "${1:-}" = "--" ] && shift
jobs="${ISCSI_JOBS:-$(nproc)}"

case "$flavour" in
  gcc)
    dir=build
    args=(-DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DISCSI_WERROR=ON)
    ;;
  clang-san)
    dir=build-clang-san
    args=(-DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo -DISCSI_WERROR=ON
          "-DISCSI_SANITIZE=address;undefined" -DISCSI_FUZZ=ON)
    ;;
  *)
    echo "build.sh: unknown flavour '$flavour' (gcc or clang-san)" >&2
    exit 2
    ;;
esac

cmake -S . -B "$dir" -G Ninja "${args[@]}" "$@" >/dev/null
cmake --build "$dir" -j "$jobs"
echo "build.sh: $flavour build ready in $dir/"
