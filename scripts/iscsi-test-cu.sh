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
#   - two tests that no target can pass as written are run again alone, under the condition
#     they assume, when they fail in their suite: see rerun_params below.
# Prints pass/skip/fail counts and the failing tests; exits 0 when nothing failed, or when every
# failure is one named with --known-failure SUITE.TEST (CTest's conformance run uses that for
# failures still open in the tracker, so that any other failure, a regression, fails CI; the
# known ones are still counted as failures and printed).
#
# Usage: scripts/iscsi-test-cu.sh [--iscsim PATH] [--file] [--thick] [--profile rfc|tgt]
#                                 [--suite NAME ...] [--keep-logs DIR]
#                                 [--known-failure SUITE.TEST ...]
set -u

iscsim=""
use_file=0
thin=1
profile=rfc
suites=()
log_dir=""
known=()
while [ $# -gt 0 ]; do
  case "$1" in
    --iscsim) iscsim="$2"; shift 2 ;;
    --file) use_file=1; shift ;;
    --thick) thin=0; shift ;;
    --profile) profile="$2"; shift 2 ;;
    --suite) suites+=("$2"); shift 2 ;;
    --keep-logs) log_dir="$2"; shift 2 ;;
    --known-failure) known+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
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
backing2=(--bstype ram -b 64M)
if [ "$use_file" = 1 ]; then
  truncate -s 64M "$work/lun1.img" "$work/lun2.img"
  backing=(-b "$work/lun1.img")
  backing2=(-b "$work/lun2.img")
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

# CUnit's verdict for one test, from its block of output in a suite's log ("Test: NAME ..." up
# to the next test or the run summary): pass, pass-logged, skip or fail.
score_test() {
  awk -v name="$2" '
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
    }' "$1"
}

# The lines of one test's block that match a pattern.
test_lines() {
  awk -v name="$2" -v pattern="$3" '
    /^  Test: / { current = ($2 == name) }
    /Run Summary/ { current = 0 }
    current && $0 ~ pattern { print }' "$1"
}

# Two libiscsi 1.19 tests cannot pass as written on this LUN, whatever the target does. When one
# fails in its suite it is run again, alone, on a LUN 2 that differs from LUN 1 only in the
# condition the test silently assumes, and counted by that run's verdict (printed apart, with
# the reason). Never by name alone: the re-run must pass on its own.
#   - GetLBAStatus.UnmapSingle assumes one logical block per physical block: its second loop
#     unmaps LBAs 0..i-1, queries LBA i+1 and expects the first descriptor to start at i+8
#     with LBPPBE 3, but SBC-4 §5.8.2 requires the first descriptor to contain the starting
#     LBA. Re-run with lbppbe=0.
#   - Sanitize.Reset needs a sanitize still running about 4 s after it started (3 s sleep,
#     resets, 1 s, a new login), then polls TEST UNIT READY every 60 s until it ends: no target
#     that implements SANITIZE passes it under a 60 s limit, and a 64 MiB RAM LUN sanitizes in
#     milliseconds. In the suite the preceding Sanitize.Reservations also leaves a RESERVE(6)
#     held by the other path, so its SANITIZE rightly gets RESERVATION CONFLICT. Re-run alone
#     with sanitize_ms=6000 (the LU stays busy for 6 s) under a 120 s limit.
rerun_params() {
  case "$1" in
    GetLBAStatus.UnmapSingle) echo "lbppbe=0" ;;
    Sanitize.Reset) echo "sanitize_ms=6000" ;;
    *) return 1 ;;
  esac
}
rerun_reason() {
  case "$1" in
    GetLBAStatus.UnmapSingle) echo "its check assumes LBPPBE 0 (SBC-4 §5.8.2)" ;;
    Sanitize.Reset) echo "it needs a sanitize lasting over 4 s and waits 60 s for its end" ;;
  esac
}

# Re-runs SUITE.TEST alone on LUN 2 and prints its verdict; fails when there is no re-run.
rerun_verdict() {
  local name=$1 params limit=60
  params=$(rerun_params "$name") || return 1
  [ "$name" = Sanitize.Reset ] && limit=120
  tgtadm --op new --mode logicalunit --tid 1 --lun 2 "${backing2[@]}" >/dev/null &&
    tgtadm --op update --mode logicalunit --tid 1 --lun 2 \
      --params "thin_provisioning=$thin,$params" >/dev/null || return 1
  local url2="iscsi://127.0.0.1:$port/$iqn/2" log2="$work/$name.rerun.log"
  timeout "$limit" iscsi-test-cu -d -S -t "ALL.$name" "$url2" "$url2" >"$log2" 2>&1
  [ -n "$log_dir" ] && cp "$log2" "$log_dir/"
  tgtadm --op delete --mode logicalunit --tid 1 --lun 2 >/dev/null
  score_test "$log2" "${name#*.}"
}

pass=0; skip=0; fail=0
failures=()
logged=()
reruns=()
for suite in "${suites[@]}"; do
  log="$work/$suite.log"
  timeout 60 iscsi-test-cu -d -S -t "ALL.$suite" "$url" "$url" >"$log" 2>&1
  status=$?
  [ -n "$log_dir" ] && cp "$log" "$log_dir/"
  while IFS= read -r test; do
    verdict=$(score_test "$log" "$test")
    if [ "$verdict" = fail ] && second=$(rerun_verdict "$suite.$test"); then
      reruns+=("$suite.$test: $second on LUN 2 with $(rerun_params "$suite.$test"): $(rerun_reason "$suite.$test")")
      verdict=$second
    fi
    case "$verdict" in
      pass) pass=$((pass + 1)) ;;
      pass-logged) pass=$((pass + 1))
         logged_lines=$(test_lines "$log" "$test" '\\[FAILED\\]' | head -1 | sed 's/.*\[FAILED\]/[FAILED]/')
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
rerun_note=""
[ ${#reruns[@]} -gt 0 ] && rerun_note=" (verdicts of ${#reruns[@]} from a re-run, below)"
echo "  pass $pass  skip $skip  fail $fail  (total $((pass + skip + fail)))$rerun_note"
unexpected=0
for failure in "${failures[@]}"; do
  name=${failure%% *}
  if printf '%s\n' "${known[@]}" | grep -qxF "$name"; then
    echo "  FAILED: $failure (known failure, still open)"
  else
    echo "  FAILED: $failure"
    unexpected=$((unexpected + 1))
  fi
done
for rerun in "${reruns[@]}"; do echo "  re-run alone: $rerun"; done
if [ ${#logged[@]} -gt 0 ]; then
  echo "  passed with libiscsi [FAILED] log lines (${#logged[@]}; a line-based scorer would" \
       "say pass $((pass - ${#logged[@]})) fail $((fail + ${#logged[@]}))):"
  for line in "${logged[@]}"; do echo "    $line"; done
fi
[ "$unexpected" = 0 ]
