#!/usr/bin/env bash
# Runs a libFuzzer campaign on one harness (a long campaign; the test suite only replays the
# corpora). Usage:
#   scripts/fuzz.sh <harness> [seconds=600] [--merge]
#   scripts/fuzz.sh --list
# Harnesses are the folders of fuzz/ (framer, text, chap, ...). New inputs go to a scratch
# corpus under build-fuzz/fuzz-work/<harness>; with --merge, inputs that add coverage are
# minimised into the committed corpus fuzz/<harness>/corpus. Crashes are written to
# build-fuzz/fuzz-work/<harness>/artifacts/ and the script exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--list" ] || [ $# -eq 0 ]; then
  echo "harnesses:"; for d in fuzz/*/; do [ -f "$d/harness.cpp" ] && echo "  $(basename "$d")"; done
  [ $# -eq 0 ] && exit 2 || exit 0
fi
harness="$1"; seconds="${2:-600}"; merge="${3:-}"
[ -f "fuzz/$harness/harness.cpp" ] || { echo "fuzz.sh: no harness fuzz/$harness" >&2; exit 2; }

bash scripts/install-deps.sh >/dev/null
bash scripts/build.sh fuzz >/dev/null
cmake --build build-fuzz --target "fuzz_$harness" >/dev/null

work="build-fuzz/fuzz-work/$harness"
mkdir -p "$work/corpus" "$work/artifacts"
cp -n "fuzz/$harness/corpus/"* "$work/corpus/" 2>/dev/null || true
dict=()
for d in "fuzz/$harness"/*.dict; do [ -f "$d" ] && dict=(-dict="$d"); done

echo "fuzz.sh: fuzzing $harness for ${seconds}s ($(ls "$work/corpus" | wc -l) seed inputs)"
ASAN_OPTIONS=detect_leaks=1 "build-fuzz/fuzz/$harness/fuzz_$harness" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "${dict[@]}" "$work/corpus" 2>&1 | tail -n 25

if [ "$merge" = "--merge" ]; then
  "build-fuzz/fuzz/$harness/fuzz_$harness" -merge=1 "${dict[@]}" \
    "fuzz/$harness/corpus" "$work/corpus" 2>&1 | tail -n 3
fi
