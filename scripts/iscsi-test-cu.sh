#!/bin/bash
# Runs libiscsi's conformance suite (iscsi-test-cu, Debian's libiscsi-bin) against the reference
# target and scores it the way ../shared/reference/peer-behaviour.md describes:
#   - `iscsim target` on 127.0.0.1 (a free port, its own control port) with LUN 1 a 64 MiB RAM
#     LUN (--file: a 64 MiB file LUN instead), thin-provisioned (--thick: not): 512-byte
#     blocks, 4096-byte physical blocks, Block Limits page present, well under 2^31 blocks, so
#     no test passes silently on a skip path;
#   - one suite at a time: `iscsi-test-cu -d -S -t ALL.<suite> URL URL` under `timeout 60`
#     (libiscsi has no watchdog; the URL twice for the multipath tests, -S for sanitize);
#   - a test passes only if CUnit's verdict for it is "passed" and its output has no skip
#     message ("SKIPP", "Skipping", "not implemented", "not available"); CUnit's verdict
#     "FAILED" (or an assertion line "N. file.c:LINE - ...") is a failure, and so is a test
#     without a verdict (a timeout or a crash of its suite).
#   - libiscsi's helpers also log "[FAILED] ..." lines that are not verdicts: for a command a
#     test expects to fail (iSCSIdatasn.iSCSIDataSnInvalid: any non-GOOD status is logged so),
#     and from the suite's clean-up (clear_pr's PERSISTENT RESERVE IN on each path, printed
#     after the last test's verdict). Tests that passed with such lines are listed apart, with
#     the count a line-based scorer (any "FAILED" text fails the test) would give.
# Prints pass/skip/fail counts and the failing tests; exits 0 when nothing failed.
#
# Usage: scripts/iscsi-test-cu.sh [--iscsim PATH] [--file] [--thick] [--profile rfc|tgt]
#                                 [--suite NAME ...] [--keep-logs DIR]
set -u

iscsim=""
use_file=0
thin=1
profile=rfc
suites=()
log_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --iscsim) iscsim="$2"; shift 2 ;;
    --file) use_file=1; shift ;;
    --thick) thin=0; shift ;;
    --profile) profile="$2"; shift 2 ;;
    --suite) suites+=("$2"); shift 2 ;;
    --keep-logs) log_dir="$2"; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "iscsi-test-cu.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "$iscsim" ]; then
  for candidate in "$here"/build*/apps/iscsim; do
    [ -x "$candidate" ] && { iscsim="$candidate"; break; }
  done
fi
if [ -z "$iscsim" ] || [ ! -x "$iscsim" ]; then
  echo "iscsi-test-cu.sh: no iscsim binary (build it, or pass --iscsim PATH)" >&2
  exit 2
fi
if ! command -v iscsi-test-cu >/dev/null; then
  echo "iscsi-test-cu.sh: iscsi-test-cu is not installed (apt-get install libiscsi-bin)" >&2
  exit 2
fi

work=$(mktemp -d /tmp/iscsi-test-cu.XXXXXX)
[ -n "$log_dir" ] && mkdir -p "$log_dir"
# tgtadm -C takes 0-32767.
control_port=$(( 1000 + $$ % 30000 ))
iqn="iqn.2026-01.org.example.iscsim:test-cu"
target_pid=""

stop_target() {
  [ -z "$target_pid" ] && return
  kill -TERM "$target_pid" 2>/dev/null
  for _ in $(seq 50); do
    kill -0 "$target_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$target_pid" 2>/dev/null
  wait "$target_pid" 2>/dev/null
  target_pid=""
}
cleanup() {
  stop_target
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$iscsim" target --portal 127.0.0.1:0 -C "$control_port" --profile "$profile" \
  >"$work/target.log" 2>&1 &
target_pid=$!
port=""
for _ in $(seq 150); do
  port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/target.log" | head -1)
  grep -q "control port" "$work/target.log" 2>/dev/null && [ -n "$port" ] && break
  kill -0 "$target_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "iscsi-test-cu.sh: iscsim target did not start:" >&2
  cat "$work/target.log" >&2
  exit 1
fi

tgtadm() { "$iscsim" tgtadm -C "$control_port" --lld iscsi "$@"; }
backing=(--bstype ram -b 64M)
if [ "$use_file" = 1 ]; then
  truncate -s 64M "$work/lun1.img"
  backing=(-b "$work/lun1.img")
fi
tgtadm --op new --mode target --tid 1 -T "$iqn" &&
  tgtadm --op new --mode logicalunit --tid 1 --lun 1 "${backing[@]}" &&
  tgtadm --op bind --mode target --tid 1 -I ALL || { echo "tgtadm failed" >&2; exit 1; }
# tgt sets LUN parameters with --op update, as its documentation does.
if [ "$thin" = 1 ]; then
  tgtadm --op update --mode logicalunit --tid 1 --lun 1 --params thin_provisioning=1 ||
    { echo "tgtadm failed" >&2; exit 1; }
fi

url="iscsi://127.0.0.1:$port/$iqn/1"
listing=$(iscsi-test-cu -l 2>/dev/null)
if [ ${#suites[@]} -eq 0 ]; then
  mapfile -t suites < <(echo "$listing" | awk -F. '/^ALL\.[^.]+$/ {print $2}')
fi

pass=0; skip=0; fail=0
failures=()
logged=()
for suite in "${suites[@]}"; do
  log="$work/$suite.log"
  timeout 60 iscsi-test-cu -d -S -t "ALL.$suite" "$url" "$url" >"$log" 2>&1
  status=$?
  [ -n "$log_dir" ] && cp "$log" "$log_dir/"
  # Every test the suite has, each scored from its block of output ("Test: NAME ..." up to the
  # next test or the run summary).
  while IFS= read -r test; do
    verdict=$(awk -v name="$test" '
      /^  Test: / { current = ($2 == name) ; if (current) seen = 1 }
      /Run Summary/ { current = 0 }
      current {
        line = $0
        if (line ~ /\[FAILED\]/) logged = 1
        if (line ~ /SKIPP|Skipping|not implemented|not available/) skipped = 1
        if (line ~ /^    [0-9]+\. [^ ]+\.c:[0-9]+ +- /) failed = 1
        # CUnit prints its verdict right after the test, often with no newline before the
        # next output: the first bare "passed" or "FAILED" (not the bracketed log tag).
        gsub(/\[FAILED\]/, "", line)
        if (!verdict && match(line, /passed|FAILED/))
          verdict = substr(line, RSTART, RLENGTH)
      }
      END {
        if (!seen || !verdict || verdict == "FAILED" || failed) print "fail"
        else if (skipped) print "skip"
        else if (logged) print "pass-logged"
        else print "pass"
      }' "$log")
    case "$verdict" in
      pass) pass=$((pass + 1)) ;;
      pass-logged) pass=$((pass + 1))
         logged_lines=$(awk -v name="$test" '
           /^  Test: / { current = ($2 == name) }
           /Run Summary/ { current = 0 }
           current && /\[FAILED\]/ { sub(/.*\[FAILED\]/, "[FAILED]"); print; exit }' "$log")
         logged+=("$suite.$test: $logged_lines") ;;
      skip) skip=$((skip + 1)) ;;
      *) fail=$((fail + 1))
         reason=""
         [ "$status" = 124 ] && reason=" (suite timed out)"
         failures+=("$suite.$test$reason") ;;
    esac
  done < <(echo "$listing" | awk -F. -v s="$suite" '$1 == "ALL" && $2 == s && NF == 3 {print $3}')
done

echo "iscsi-test-cu against iscsim target ($profile profile, $([ "$use_file" = 1 ] && echo file || echo ram) LUN$([ "$thin" = 1 ] && echo ", thin-provisioned")):"
echo "  pass $pass  skip $skip  fail $fail  (total $((pass + skip + fail)))"
for failure in "${failures[@]}"; do echo "  FAILED: $failure"; done
if [ ${#logged[@]} -gt 0 ]; then
  echo "  passed with libiscsi [FAILED] log lines (${#logged[@]}; a line-based scorer would" \
       "say pass $((pass - ${#logged[@]})) fail $((fail + ${#logged[@]}))):"
  for line in "${logged[@]}"; do echo "    $line"; done
fi
[ "$fail" = 0 ]
