#!/usr/bin/env bash
# Runs the benchmarks for real (the test suite only smoke-runs them). Usage:
#   scripts/bench.sh [benchmark-name ...]      (default: every program in build/bench/)
# Extra Google Benchmark flags can be passed in BENCH_FLAGS, e.g.
#   BENCH_FLAGS="--benchmark_repetitions=5 --benchmark_report_aggregates_only=true"
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh >/dev/null
bash scripts/build.sh gcc >/dev/null
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  while IFS= read -r exe; do names+=("$(basename "$exe")"); done < \
    <(find build/bench -maxdepth 2 -type f -executable -name '*_bench' | sort)
fi
for name in "${names[@]}"; do
  exe=$(find build/bench -maxdepth 2 -type f -name "$name" | head -n 1)
  [ -n "$exe" ] || { echo "bench.sh: no benchmark $name" >&2; exit 2; }
  echo "== $name =="
  # shellcheck disable=SC2086
  "$exe" ${BENCH_FLAGS:-}
done
