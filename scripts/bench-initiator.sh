#!/bin/bash
# Compares our initiator (bench/initiator_perf: client::Client on core/asio) with libiscsi's
# iscsi-perf (READ16 only), as issue 5's proof asks:
#   - both against the same in-memory target: tgtd (tgt 1.0.85) with a --bstype null LUN, and
#     `iscsim target` with a --bstype ram LUN (64 MiB each), on 127.0.0.1;
#   - sequential reads of 64 KiB and of 4 KiB per command, 32 in flight (iscsi-perf -m 32
#     -b 128 / -b 8; initiator_perf --depth 32 --block 65536 / 4096), wrapping at the end of
#     the LU as iscsi-perf does;
#   - the two initiators run alternately (and which goes first alternates), N runs of S seconds
#     each; the medians, the ratio ours / iscsi-perf, and each initiator's CPU seconds per GB
#     moved (user + system of the whole process from /usr/bin/time, login included);
#   - then our own write throughput (64 KiB and 4 KiB, 32 in flight; iscsi-perf cannot write).
# The goal is at least 1.0x iscsi-perf's throughput at no more CPU per GB; the script reports,
# it does not fail on a ratio. Nothing in CI runs it.
#
# Usage: scripts/bench-initiator.sh [--iscsim PATH] [--perf PATH] [--runs N] [--seconds S]
#                                   [--target tgtd|iscsim|both] [--no-write] [--smoke]
#   --smoke: one 1-second run per workload against `iscsim target` only (the test suite's run).
set -u

iscsim=""
perf_program=""
runs=5
seconds=5
targets=(tgtd iscsim)
with_write=1
while [ $# -gt 0 ]; do
  case "$1" in
    --iscsim) iscsim="$2"; shift 2 ;;
    --perf) perf_program="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --target)
      case "$2" in
        both) targets=(tgtd iscsim) ;;
        tgtd|iscsim) targets=("$2") ;;
        *) echo "bench-initiator.sh: --target tgtd|iscsim|both" >&2; exit 2 ;;
      esac
      shift 2 ;;
    --no-write) with_write=0; shift ;;
    --smoke) runs=1; seconds=1; targets=(iscsim); shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "bench-initiator.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$runs$seconds" in
  *[!0-9]*) echo "bench-initiator.sh: --runs and --seconds take whole numbers" >&2; exit 2 ;;
esac
[ "$runs" -ge 1 ] && [ "$runs" -le 50 ] && [ "$seconds" -ge 1 ] && [ "$seconds" -le 60 ] ||
  { echo "bench-initiator.sh: --runs 1..50, --seconds 1..60" >&2; exit 2; }

here=$(cd "$(dirname "$0")/.." && pwd)
find_built() {  # find_built <relative path in a build tree>
  local candidate
  for candidate in "$here"/build/"$1" "$here"/build*/"$1"; do
    [ -x "$candidate" ] && { echo "$candidate"; return; }
  done
}
[ -n "$iscsim" ] || iscsim=$(find_built apps/iscsim)
[ -n "$perf_program" ] || perf_program=$(find_built bench/initiator_perf/initiator_perf)
[ -n "$perf_program" ] && [ -x "$perf_program" ] ||
  { echo "bench-initiator.sh: no initiator_perf (build it, or pass --perf PATH)" >&2; exit 2; }
command -v iscsi-perf >/dev/null ||
  { echo "bench-initiator.sh: iscsi-perf is not installed (apt-get install libiscsi-bin)" >&2; exit 2; }
[ -x /usr/bin/time ] ||
  { echo "bench-initiator.sh: /usr/bin/time is not installed (apt-get install time)" >&2; exit 2; }
if [[ " ${targets[*]} " == *" iscsim "* ]] && { [ -z "$iscsim" ] || [ ! -x "$iscsim" ]; }; then
  echo "bench-initiator.sh: no iscsim binary (pass --iscsim PATH); measuring against tgtd only" >&2
  targets=(${targets[@]/iscsim/})
fi
if [[ " ${targets[*]} " == *" tgtd "* ]] && ! command -v tgtd >/dev/null; then
  echo "bench-initiator.sh: tgtd is not installed (apt-get install tgt); skipping it" >&2
  targets=(${targets[@]/tgtd/})
fi
[ "${#targets[@]}" -gt 0 ] || { echo "bench-initiator.sh: no target to measure" >&2; exit 2; }

work=$(mktemp -d /tmp/bench-initiator.XXXXXX)
iqn="iqn.2026-01.org.example.iscsim:initiator-bench"
# Control ports of our own (tgtadm's -C range is 0..32767), apart from bench-target.sh's.
ours_control=$(( 10000 + ($$ + 5000) % 10000 ))
tgtd_control=$(( 20000 + ($$ + 5000) % 10000 ))
ours_pid=""
tgtd_pid=""
port=""

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
ours_tgtadm() { "$iscsim" tgtadm -C "$ours_control" --lld iscsi "$@"; }
tgtd_tgtadm() { tgtadm -C "$tgtd_control" --lld iscsi "$@"; }

# Waits up to 5 s for a process to exit; true when it did.
wait_gone() {
  for _ in $(seq 50); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
  return 1
}
stop_ours() {
  [ -z "$ours_pid" ] && return
  kill -TERM "$ours_pid" 2>/dev/null
  wait_gone "$ours_pid" || kill -KILL "$ours_pid" 2>/dev/null
  wait "$ours_pid" 2>/dev/null
  ours_pid=""
}
# tgtd ignores SIGTERM: delete the target, then the daemon, through tgtadm; SIGKILL last.
stop_tgtd() {
  [ -z "$tgtd_pid" ] && return
  tgtd_tgtadm --op delete --mode target --tid 1 --force >/dev/null 2>&1
  tgtadm -C "$tgtd_control" --op delete --mode system >/dev/null 2>&1
  wait_gone "$tgtd_pid" || { echo "bench-initiator.sh: tgtd did not stop; SIGKILL" >&2;
                             kill -KILL "$tgtd_pid" 2>/dev/null; }
  wait "$tgtd_pid" 2>/dev/null
  tgtd_pid=""
}
cleanup() {
  stop_ours
  stop_tgtd
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_ours() {
  "$iscsim" target --portal 127.0.0.1:0 -C "$ours_control" >"$work/ours.log" 2>&1 &
  ours_pid=$!
  port=""
  for _ in $(seq 150); do
    port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/ours.log" | head -1)
    grep -q "control port" "$work/ours.log" 2>/dev/null && [ -n "$port" ] && return 0
    kill -0 "$ours_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench-initiator.sh: iscsim target did not start:" >&2
  cat "$work/ours.log" >&2
  return 1
}
start_tgtd() {
  port=$(free_port)
  tgtd -f -C "$tgtd_control" --iscsi "portal=127.0.0.1:$port" >"$work/tgtd.log" 2>&1 &
  tgtd_pid=$!
  for _ in $(seq 50); do
    tgtadm -C "$tgtd_control" --op show --mode system >/dev/null 2>&1 && return 0
    kill -0 "$tgtd_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench-initiator.sh: tgtd did not start:" >&2
  cat "$work/tgtd.log" >&2
  return 1
}
# configure <tgtadm function> <backing args...>: target 1, LUN 1, open to every initiator.
configure() {
  local admin="$1"
  shift
  "$admin" --op new --mode target --tid 1 -T "$iqn" &&
    "$admin" --op new --mode logicalunit --tid 1 --lun 1 "$@" &&
    "$admin" --op bind --mode target --tid 1 -I ALL
}

# Each run prints "<MB/s> <CPU s per GB> <user CPU s per GB>" (zeros when it measured nothing).
# libiscsi <block bytes>: one iscsi-perf run; CPU from /usr/bin/time.
libiscsi() {
  local out
  out=$(timeout -s INT $((seconds + 15)) /usr/bin/time -f "TIME %e %U %S" \
    iscsi-perf -m 32 -b $(($1 / 512)) -t "$seconds" "iscsi://127.0.0.1:$port/$iqn/1" 2>&1 |
    tr '\r' '\n')
  awk -v bytes="$1" '/^ *iops average/ { iops = $3 } /^TIME / { cpu = $3 + $4; user = $3 }
    END { mb = iops * bytes / 1e6; gb = mb * s / 1000
          printf "%.1f %.3f %.3f\n", mb, (mb > 0 ? cpu / gb : 0), (mb > 0 ? user / gb : 0) }' \
    s="$seconds" <<<"$out"
}
# ours <block bytes> [--write]: one initiator_perf run; CPU from /usr/bin/time as well.
ours() {
  local out
  out=$(timeout -s INT $((seconds + 30)) /usr/bin/time -f "TIME %e %U %S" "$perf_program" \
    "iscsi://127.0.0.1:$port/$iqn/1" --seconds "$seconds" --block "$1" --depth 32 "${2:---read}" 2>&1)
  awk '/^RESULT / { split($2, a, "="); mb = a[2] } /^TIME / { cpu = $3 + $4; user = $3 }
    END { gb = mb * s / 1000
          printf "%.1f %.3f %.3f\n", mb, (mb > 0 ? cpu / gb : 0), (mb > 0 ? user / gb : 0) }' \
    s="$seconds" <<<"$out"
}
# median [column]: the median of one column (default 1) of the lines on stdin.
median() { awk -v c="${1:-1}" '{ print $c }' | sort -n |
  awk '{ v[NR] = $1 } END { if (NR == 0) print 0;
  else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One target: N alternating runs per block size, medians, ratio; then our writes.
compare() {
  local target="$1" block run first
  if [ "$target" = tgtd ]; then
    start_tgtd && configure tgtd_tgtadm --bstype null -b 64M >/dev/null ||
      { echo "bench-initiator.sh: could not start or configure tgtd (root needed)" >&2; stop_tgtd; return 1; }
  else
    start_ours && configure ours_tgtadm --bstype ram -b 64M >/dev/null ||
      { echo "bench-initiator.sh: could not start or configure iscsim target" >&2; stop_ours; return 1; }
  fi
  for block in 65536 4096; do
    : >"$work/libiscsi.$block"
    : >"$work/ours.$block"
    : >"$work/write.$block"
  done
  for run in $(seq "$runs"); do
    for block in 65536 4096; do
      # Alternate who goes first, so drift in machine load does not favour one side.
      for first in $( ((run % 2)) && echo "ours libiscsi" || echo "libiscsi ours"); do
        if [ "$first" = ours ]; then ours "$block" >>"$work/ours.$block"
        else libiscsi "$block" >>"$work/libiscsi.$block"; fi
      done
      [ "$with_write" = 1 ] && ours "$block" --write >>"$work/write.$block"
    done
  done
  local kind="tgtd --bstype null"
  [ "$target" = iscsim ] && kind="iscsim target --bstype ram"
  echo "== $kind, 64 MiB LUN, 32 in flight, $runs x ${seconds}s runs, medians =="
  printf "  %-10s %12s %12s %7s %16s %16s %12s\n" "read" "ours MB/s" "iscsi-perf" "ratio" \
         "ours CPU s/GB" "iscsi-perf s/GB" "ours write"
  for block in 65536 4096; do
    awk -v b="$block" -v o="$(median 1 <"$work/ours.$block")" \
        -v l="$(median 1 <"$work/libiscsi.$block")" -v oc="$(median 2 <"$work/ours.$block")" \
        -v lc="$(median 2 <"$work/libiscsi.$block")" -v w="$(median 1 <"$work/write.$block")" \
        -v ww="$with_write" 'BEGIN {
      printf "  %-10s %12.1f %12.1f %7s %16.3f %16.3f %12s\n", (b == 65536 ? "64 KiB" : "4 KiB"),
             o, l, (l > 0 ? sprintf("%.2fx", o / l) : "n/a"), oc, lc,
             (ww == 1 ? sprintf("%.1f MB/s", w) : "-") }'
    echo "    runs MB/s: ours $(awk '{ printf "%s ", $1 }' "$work/ours.$block")| iscsi-perf" \
         "$(awk '{ printf "%s ", $1 }' "$work/libiscsi.$block")"
    # The CPU per GB split: user space (each initiator's own code) and the rest (the kernel).
    echo "    median user-space CPU s/GB: ours $(median 3 <"$work/ours.$block") | iscsi-perf" \
         "$(median 3 <"$work/libiscsi.$block")"
  done
  stop_ours
  stop_tgtd
  local zero
  zero=$(cat "$work"/ours.* "$work"/libiscsi.* | grep -c '^0\.0 ')
  [ "$zero" = 0 ] || { echo "bench-initiator.sh: $zero run(s) measured nothing" >&2; return 1; }
}

status=0
echo "initiator_perf: $perf_program; iscsim: ${iscsim:-none}; 127.0.0.1"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for target in "${targets[@]}"; do
  compare "$target" || status=1
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
