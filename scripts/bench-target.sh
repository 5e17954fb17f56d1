#!/bin/bash
# Compares the reference target with tgtd (tgt 1.0.85) using libiscsi's iscsi-perf (READ16 only),
# like with like, as issue 4's proof asks:
#   - file: both serve the same 64 MiB file on the same filesystem, page cache warmed first;
#   - ram:  our `--bstype ram --backing-store 64M` against tgtd's `--bstype null`;
#   - workloads at 32 outstanding: 64 KiB sequential reads (MB/s) and 4 KiB random reads (IOPS);
#   - both targets run side by side on 127.0.0.1 (each its own free port and control port), the
#     runs alternate between them (and which goes first), and the medians are compared;
#   - the peak memory of each target (VmHWM from /proc/<pid>/status) after its runs;
#   - the CPU time each target spent per 1,000 reads (utime + stime of all its threads, from
#     /proc/<pid>/stat around each run; median over the runs), which load on a shared machine
#     disturbs far less than the wall-clock rates.
# Then, unless --no-load, the load test (bench/target_load/run_load.sh) at full size: 200
# concurrent sessions, 2,000 login/logout cycles with the RSS check, and (with --asan-iscsim)
# a LeakSanitizer run of 200 cycles.
# The goal is 1.5x tgtd on every workload; the script reports, it does not fail on a ratio.
#
# Usage: scripts/bench-target.sh [--iscsim PATH] [--runs N] [--seconds S] [--backing file|ram|both]
#                                [--no-tgtd] [--no-load] [--load-client PATH] [--asan-iscsim PATH]
#                                [--smoke]
#   --smoke: one 1-second run per workload on RAM LUNs, no load test (the test suite's run).
set -u

iscsim=""
runs=5
seconds=5
backing_modes=(file ram)
with_tgtd=1
with_load=1
load_client=""
asan_iscsim=""
while [ $# -gt 0 ]; do
  case "$1" in
    --iscsim) iscsim="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --backing)
      case "$2" in
        both) backing_modes=(file ram) ;;
        file|ram) backing_modes=("$2") ;;
        *) echo "bench-target.sh: --backing file|ram|both" >&2; exit 2 ;;
      esac
      shift 2 ;;
    --no-tgtd) with_tgtd=0; shift ;;
    --no-load) with_load=0; shift ;;
    --load-client) load_client="$2"; shift 2 ;;
    --asan-iscsim) asan_iscsim="$2"; shift 2 ;;
    --smoke) runs=1; seconds=1; backing_modes=(ram); with_load=0; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "bench-target.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$runs$seconds" in
  *[!0-9]*) echo "bench-target.sh: --runs and --seconds take whole numbers" >&2; exit 2 ;;
esac
[ "$runs" -ge 1 ] && [ "$runs" -le 50 ] && [ "$seconds" -ge 1 ] && [ "$seconds" -le 60 ] ||
  { echo "bench-target.sh: --runs 1..50, --seconds 1..60" >&2; exit 2; }

here=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "$iscsim" ]; then
  for candidate in "$here"/build/apps/iscsim "$here"/build*/apps/iscsim; do
    [ -x "$candidate" ] && { iscsim="$candidate"; break; }
  done
fi
[ -n "$iscsim" ] && [ -x "$iscsim" ] ||
  { echo "bench-target.sh: no iscsim binary (build it, or pass --iscsim PATH)" >&2; exit 2; }
command -v iscsi-perf >/dev/null ||
  { echo "bench-target.sh: iscsi-perf is not installed (apt-get install libiscsi-bin)" >&2; exit 2; }
if [ "$with_tgtd" = 1 ] && ! command -v tgtd >/dev/null; then
  echo "bench-target.sh: tgtd is not installed (apt-get install tgt); measuring iscsim only"
  with_tgtd=0
fi

work=$(mktemp -d /tmp/bench-target.XXXXXX)
iqn="iqn.2026-01.org.example.iscsim:bench"
# Control ports of our own (tgtadm's -C range is 0..32767), apart from other scripts' choices.
ours_control=$(( 10000 + $$ % 10000 ))
tgtd_control=$(( 20000 + $$ % 10000 ))
ours_pid=""
tgtd_pid=""

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
  wait_gone "$tgtd_pid" || { echo "bench-target.sh: tgtd did not stop; SIGKILL" >&2;
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
  ours_port=""
  for _ in $(seq 150); do
    ours_port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/ours.log" | head -1)
    grep -q "control port" "$work/ours.log" 2>/dev/null && [ -n "$ours_port" ] && return 0
    kill -0 "$ours_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench-target.sh: iscsim target did not start:" >&2
  cat "$work/ours.log" >&2
  return 1
}
start_tgtd() {
  tgtd_port=$(free_port)
  tgtd -f -C "$tgtd_control" --iscsi "portal=127.0.0.1:$tgtd_port" >"$work/tgtd.log" 2>&1 &
  tgtd_pid=$!
  for _ in $(seq 50); do
    tgtadm -C "$tgtd_control" --op show --mode system >/dev/null 2>&1 && return 0
    kill -0 "$tgtd_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench-target.sh: tgtd did not start:" >&2
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

# CPU clock ticks (utime + stime) a process has used so far, all threads together.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# perf <port> <workload> <target pid>: one iscsi-perf run; prints the final average IOPS and
# the target's CPU ticks per 1,000 reads.
perf() {
  local args=(-m 32 -b 128) before iops
  [ "$2" = rand4k ] && args=(-m 32 -b 8 -r)
  before=$(cpu_ticks "$3")
  iops=$(timeout -s INT $((seconds + 15)) iscsi-perf "${args[@]}" -t "$seconds" \
    "iscsi://127.0.0.1:$1/$iqn/1" 2>&1 | tr '\r' '\n' |
    awk '/^ *iops average/ { value = $3 } END { print (value == "" ? 0 : value) }')
  awk -v iops="$iops" -v ticks="$(( $(cpu_ticks "$3") - before ))" -v s="$seconds" \
      -v hz="$(getconf CLK_TCK)" 'BEGIN {
    ms = iops > 0 ? ticks * 1000 / hz * 1000 / (iops * s) : 0
    printf "%s %.3f\n", iops, ms }'
}
# median [column]: the median of one column (default 1) of the lines on stdin.
median() { awk -v c="${1:-1}" '{ print $c }' | sort -n |
  awk '{ v[NR] = $1 } END { if (NR == 0) print 0;
  else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
peak_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

# One backing kind: both targets up, N alternating runs per workload, medians, ratios.
compare() {
  local mode="$1" ours_args tgtd_args
  if [ "$mode" = file ]; then
    truncate -s 64M "$work/lun.img"
    # Same bytes through both targets; the page cache holds them before the first run.
    head -c 64M /dev/urandom >"$work/lun.img"
    cat "$work/lun.img" >/dev/null
    ours_args=(-b "$work/lun.img")
    tgtd_args=(--bstype rdwr -b "$work/lun.img")
  else
    ours_args=(--bstype ram -b 64M)
    tgtd_args=(--bstype null -b 64M)
  fi
  start_ours && configure ours_tgtadm "${ours_args[@]}" >/dev/null ||
    { echo "bench-target.sh: could not configure iscsim target" >&2; return 1; }
  local with_tgtd="$with_tgtd"
  # tgtd needs root; without it this comparison measures iscsim alone (and says so).
  if [ "$with_tgtd" = 1 ] && ! { start_tgtd && configure tgtd_tgtadm "${tgtd_args[@]}" >/dev/null; }
  then
    echo "bench-target.sh: could not start or configure tgtd; measuring iscsim only" >&2
    stop_tgtd
    with_tgtd=0
  fi
  local workload run first
  for workload in seq64k rand4k; do
    : >"$work/ours.$workload"
    : >"$work/tgtd.$workload"
  done
  for run in $(seq "$runs"); do
    for workload in seq64k rand4k; do
      # Alternate who goes first, so drift in machine load does not favour one side.
      for first in $( ((run % 2)) && echo "ours tgtd" || echo "tgtd ours"); do
        if [ "$first" = ours ]; then
          perf "$ours_port" "$workload" "$ours_pid" >>"$work/ours.$workload"
        elif [ "$with_tgtd" = 1 ]; then
          perf "$tgtd_port" "$workload" "$tgtd_pid" >>"$work/tgtd.$workload"
        fi
      done
    done
  done
  local ours_peak tgtd_peak="-"
  ours_peak=$(peak_kib "$ours_pid")
  [ "$with_tgtd" = 1 ] && tgtd_peak=$(peak_kib "$tgtd_pid")
  local tgtd_kind="file (rdwr)"
  [ "$mode" = ram ] && tgtd_kind="--bstype null"
  echo "== $mode: iscsim $([ "$mode" = ram ] && echo "--bstype ram" || echo file) vs tgtd $tgtd_kind," \
       "$runs x ${seconds}s runs, medians =="
  for workload in seq64k rand4k; do
    local o t oc tc
    o=$(median 1 <"$work/ours.$workload")
    t=$(median 1 <"$work/tgtd.$workload")
    oc=$(median 2 <"$work/ours.$workload")
    tc=$(median 2 <"$work/tgtd.$workload")
    awk -v w="$workload" -v o="$o" -v t="$t" -v oc="$oc" -v tc="$tc" -v tg="$with_tgtd" \
        -v ol="$(awk '{ printf "%s ", $1 }' "$work/ours.$workload")" \
        -v tl="$(awk '{ printf "%s ", $1 }' "$work/tgtd.$workload")" 'BEGIN {
      if (w == "seq64k") { name = "64 KiB sequential read"; unit = "MB/s"; f = 65536 / 1e6 }
      else { name = "4 KiB random read"; unit = "IOPS"; f = 1 }
      printf "  %-24s iscsim %9.0f %s", name, o * f, unit
      if (tg == 1) {
        printf "   tgtd %9.0f %s   ratio %s", t * f, unit, (t > 0 ? sprintf("%.2fx", o / t) : "n/a")
        if (t > 0) printf "%s", (o / t >= 1.5 ? "  (goal 1.5x met)" : "  (goal 1.5x NOT met)")
      }
      printf "\n    runs (IOPS): iscsim %s%s\n", ol, (tg == 1 ? "| tgtd " tl : "")
      printf "    target CPU per 1,000 reads (median): iscsim %.1f ms", oc
      if (tg == 1) printf "   tgtd %.1f ms", tc
      printf "\n"
    }'
  done
  echo "  peak memory (VmHWM): iscsim ${ours_peak} kB   tgtd ${tgtd_peak} kB"
  stop_ours
  stop_tgtd
  local zero
  zero=$(cat "$work"/ours.* | grep -c '^0 ')
  [ "$zero" = 0 ] || { echo "bench-target.sh: $zero iscsim run(s) measured nothing" >&2; return 1; }
}

status=0
echo "iscsi-perf, 32 outstanding, 127.0.0.1; iscsim: $iscsim"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in "${backing_modes[@]}"; do
  compare "$mode" || status=1
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$with_load" = 1 ]; then
  load_args=(--iscsim "$iscsim" --sessions 200 --cycles 2000)
  [ -n "$load_client" ] && load_args+=(--client "$load_client")
  echo "== load test =="
  bash "$here/bench/target_load/run_load.sh" "${load_args[@]}" || status=1
  if [ -n "$asan_iscsim" ]; then
    echo "== LeakSanitizer: 200 login/logout cycles against $asan_iscsim =="
    asan_args=(--iscsim "$asan_iscsim" --sessions 0 --cycles 200)
    [ -n "$load_client" ] && asan_args+=(--client "$load_client")
    bash "$here/bench/target_load/run_load.sh" "${asan_args[@]}" || status=1
  fi
fi
exit "$status"
