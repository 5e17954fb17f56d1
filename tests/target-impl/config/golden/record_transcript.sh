#!/bin/bash
# Records transcript.txt: runs every line of commands.txt through a real tgtd 1.0.85
# (Debian package tgt) on loopback with its own control port, and writes each command with
# tgtadm's stdout, stderr and exit status. tgtadm_transcript_test.cpp replays the same lines
# through run_tgtadm() and expects identical output. Usage: record_transcript.sh [control-port]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
port=${1:-731}
dir=/tmp/iscsim-cfg-golden
mkdir -p "$dir/adir"
truncate -s 64M "$dir/disk64.img"
tgtd -f -C "$port" --iscsi portal=127.0.0.1:$((13000 + port)) >"$dir/tgtd.log" 2>&1 &
tgtd_pid=$!
trap 'kill -9 $tgtd_pid 2>/dev/null || true' EXIT
sleep 1
out="$here/transcript.txt"
: >"$out"
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  line=${line//@DIR@/$dir}
  eval "set -- $line"
  set +e
  timeout 10 tgtadm -C "$port" "$@" >"$dir/out" 2>"$dir/err"
  rc=$?
  set -e
  sed -i '/^ipc_mgmt_req [0-9]*: sent to tgtd/d' "$dir/err"  # -d debug noise
  {
    printf '### %s\n' "${line//$dir/@DIR@}"
    printf 'exit %d\n' "$rc"
    printf -- '--- stdout\n'; sed "s|$dir|@DIR@|g" "$dir/out"
    printf -- '--- stderr\n'; sed "s|$dir|@DIR@|g" "$dir/err"
    printf -- '--- end\n'
  } >>"$out"
done <"$here/commands.txt"
tgtadm -C "$port" --op delete --mode system >/dev/null 2>&1 || true
wait "$tgtd_pid" 2>/dev/null || true
trap - EXIT
