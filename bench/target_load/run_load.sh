#!/bin/bash
# The target load test (issue 4's proof): starts `iscsim target` on 127.0.0.1 (a free port, its
# own control port) with one target open to ALL and a 64 MiB RAM LUN 1, then runs
# target_load_client against it:
#   - --sessions N sessions logged in at the same time (default 200);
#   - --cycles M login/TEST UNIT READY/logout cycles with no failure (default 2000); the
#     target's VmRSS after cycle M must be within 1 MiB above its VmRSS after cycle M/2;
#   - then stops the target with SIGTERM and requires a clean exit (status 0). With an ASan
#     build of iscsim that exit is where LeakSanitizer reports: any leak fails the run (and the
#     RSS growth is printed but not judged: ASan's quarantine keeps freed memory resident).
# Usage: run_load.sh --iscsim PATH [--client PATH] [--sessions N] [--cycles M] [--parallel K]
set -u

iscsim=""
client=""
sessions=200
cycles=2000
parallel=8
while [ $# -gt 0 ]; do
  case "$1" in
    --iscsim) iscsim="$2"; shift 2 ;;
    --client) client="$2"; shift 2 ;;
    --sessions) sessions="$2"; shift 2 ;;
    --cycles) cycles="$2"; shift 2 ;;
    --parallel) parallel="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "run_load.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "$client" ]; then
  for candidate in "$(dirname "$iscsim")"/../bench/target_load/target_load_client \
                   "$here"/build/bench/target_load/target_load_client; do
    [ -x "$candidate" ] && { client="$candidate"; break; }
  done
fi
[ -n "$iscsim" ] && [ -x "$iscsim" ] || { echo "run_load.sh: --iscsim PATH required" >&2; exit 2; }
[ -n "$client" ] && [ -x "$client" ] ||
  { echo "run_load.sh: no target_load_client (build it, or pass --client PATH)" >&2; exit 2; }

work=$(mktemp -d /tmp/target-load.XXXXXX)
control_port=$(( 1000 + $$ % 9000 ))
iqn="iqn.2026-01.org.example.iscsim:load"
target_pid=""
cleanup() {
  if [ -n "$target_pid" ]; then
    kill -KILL "$target_pid" 2>/dev/null
    wait "$target_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# In an ASan build LeakSanitizer reports at the target's exit; leak detection stays on unless
# the caller set ASAN_OPTIONS.
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" \
  "$iscsim" target --portal 127.0.0.1:0 -C "$control_port" >"$work/target.log" 2>&1 &
target_pid=$!
port=""
for _ in $(seq 150); do
  port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/target.log" | head -1)
  grep -q "control port" "$work/target.log" 2>/dev/null && [ -n "$port" ] && break
  port=""
  kill -0 "$target_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "run_load.sh: iscsim target did not start:" >&2
  cat "$work/target.log" >&2
  exit 1
fi
admin() { "$iscsim" tgtadm -C "$control_port" --lld iscsi "$@"; }
admin --op new --mode target --tid 1 -T "$iqn" &&
  admin --op new --mode logicalunit --tid 1 --lun 1 --bstype ram -b 64M &&
  admin --op bind --mode target --tid 1 -I ALL ||
  { echo "run_load.sh: tgtadm failed" >&2; cat "$work/target.log" >&2; exit 1; }

# Under AddressSanitizer freed memory sits in a quarantine (256 MiB by default), so RSS growth
# says nothing there: the RSS check is for a plain build; the leak check for an ASan one.
sanitized=0
nm "$iscsim" 2>/dev/null | grep -q __asan_init && sanitized=1
rss_args=()
[ "$sanitized" = 1 ] && rss_args=(--rss-report-only)
status=0
timeout 600 "$client" --portal "127.0.0.1:$port" --target "$iqn" --sessions "$sessions" \
  --cycles "$cycles" --parallel "$parallel" --target-pid "$target_pid" "${rss_args[@]}" || status=1
echo "target peak memory (VmHWM): $(awk '/^VmHWM:/ {print $2}' "/proc/$target_pid/status") kB"

kill -TERM "$target_pid"
exited=0
for _ in $(seq 300); do
  kill -0 "$target_pid" 2>/dev/null || { exited=1; break; }
  sleep 0.1
done
if [ "$exited" = 0 ]; then
  echo "run_load.sh: the target did not exit within 30 s of SIGTERM" >&2
  status=1
else
  wait "$target_pid"
  code=$?
  target_pid=""
  if [ "$code" != 0 ] || grep -q "LeakSanitizer\|AddressSanitizer\|runtime error:" "$work/target.log"; then
    echo "run_load.sh: the target exited with status $code:" >&2
    grep -A40 "Sanitizer\|runtime error:" "$work/target.log" | head -80 >&2
    status=1
  else
    lsan=""
    [ "$sanitized" = 1 ] && lsan=", AddressSanitizer build: LeakSanitizer reported no leak"
    echo "target exited cleanly (status 0$lsan)"
  fi
fi
exit "$status"
