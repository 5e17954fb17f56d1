#!/usr/bin/env bash
# tgtd-admin-hook.sh: the admin command of a live scenario run against tgt's tgtd
# (`iscsim run --target iscsi://127.0.0.1:PORT --target-admin scripts/tgtd-admin-hook.sh`;
# docs/scenarios.md, Against a live target). It reads the scenario's tgtadm lines on stdin, one
# per line, and runs each with the real tgtadm against tgtd's control port:
#
#   tgtadm -C "$TGTD_CONTROL_PORT" <the line's arguments>
#
# translating what tgtd cannot do itself:
# - `--backing-store ram:SIZE` and `--bstype ram --backing-store SIZE` (iscsim's in-memory
#   LUNs) become a new sparse file of SIZE (truncate -s) in $TGTD_HOOK_DIR, named after the
#   target and LUN (tid1-lun1.img), used with tgtd's default rdwr backing store;
# - a tutorial's file path (--backing-store /home/disk1.img) becomes a sparse file of the same
#   name in $TGTD_HOOK_DIR, of $TGTD_HOOK_FILE_SIZE (default 64M): the hook cannot know the size
#   the scenario's lun_sizes gives. An existing file is used as it is, so a `truncate` or `dd`
#   line before the tgtadm line (run with its paths moved into $TGTD_HOOK_DIR) sets the size.
# Every command's output is printed, and nothing else; in tgtadm's output the files moved into
# $TGTD_HOOK_DIR carry the paths the scenario gave them again (`Backing store path:
# /srv/iscsi/disk1.img`), so expectations written for the simulator hold (the hook remembers
# them in $TGTD_HOOK_DIR/.iscsim-hook-paths across calls). The first line that fails ends the hook
# with its exit code; the lines after it are not run.
#
# Environment: TGTD_CONTROL_PORT (required), TGTD_HOOK_DIR (default: ${TMPDIR:-/tmp}),
# TGTD_HOOK_FILE_SIZE (default 64M), TGTADM (default: tgtadm).
set -u

if [ -z "${TGTD_CONTROL_PORT:-}" ]; then
  echo "tgtd-admin-hook: TGTD_CONTROL_PORT is not set (tgtd's -C number)" >&2
  exit 2
fi
hook_dir="${TGTD_HOOK_DIR:-${TMPDIR:-/tmp}}"
file_size="${TGTD_HOOK_FILE_SIZE:-64M}"
tgtadm_program="${TGTADM:-tgtadm}"
mkdir -p "$hook_dir" || exit 2

paths_file="$hook_dir/.iscsim-hook-paths"

# moved_path ORIGINAL: the path of ORIGINAL in $hook_dir, remembered for restore_paths.
moved_path() {
  local moved="$hook_dir/$(basename "$1")" others=""
  # One line per moved path: the scenario path named last wins when two share a base name.
  [ -f "$paths_file" ] && others=$(awk -F '\t' -v m="$moved" '$1 != m' "$paths_file")
  { [ -n "$others" ] && printf '%s\n' "$others"; printf '%s\t%s\n' "$moved" "$1"; } \
    >"$paths_file"
  echo "$moved"
}

# restore_paths TEXT: TEXT with every moved path replaced by the scenario's own.
restore_paths() {
  local text="$1" moved original
  if [ -f "$paths_file" ]; then
    while IFS=$'\t' read -r moved original; do
      [ -n "$moved" ] && text="${text//"$moved"/"$original"}"
    done <"$paths_file"
  fi
  printf '%s' "$text"
}

# sparse_file PATH SIZE: creates PATH of SIZE unless it exists.
sparse_file() {
  if [ ! -e "$1" ]; then
    truncate -s "$2" "$1" || return 1
  fi
}

# translate ARGS...: fills `translated` with the arguments tgtd understands.
translate() {
  translated=()
  local tid="" lun="" bstype="" store="" i=0
  local -a args=("$@")
  while [ "$i" -lt "${#args[@]}" ]; do
    case "${args[$i]}" in
      --tid|-t) tid="${args[$((i + 1))]:-}" ;;
      --lun|-l) lun="${args[$((i + 1))]:-}" ;;
    esac
    i=$((i + 1))
  done
  i=0
  while [ "$i" -lt "${#args[@]}" ]; do
    local word="${args[$i]}"
    case "$word" in
      --bstype|-E)
        bstype="${args[$((i + 1))]:-}"
        if [ "$bstype" != "ram" ]; then translated+=("$word" "$bstype"); fi
        i=$((i + 2)); continue ;;
      --backing-store|-b)
        store="${args[$((i + 1))]:-}"
        local path
        if [ "$bstype" = "ram" ] || [[ "$store" == ram:* ]]; then
          # A RAM LUN starts empty: a file left by an earlier LUN of that name is made anew.
          path="$hook_dir/tid${tid}-lun${lun}.img"
          rm -f "$path" && sparse_file "$path" "${store#ram:}" || return 1
        elif [[ "$store" == /* ]]; then
          path=$(moved_path "$store")
          sparse_file "$path" "$file_size" || return 1
        else
          path="$store"
        fi
        translated+=("$word" "$path")
        i=$((i + 2)); continue ;;
    esac
    translated+=("$word")
    i=$((i + 1))
  done
  # --bstype ram may follow --backing-store: the store was then taken as a path.
  if [ "$bstype" = "ram" ] && [[ "$store" != ram:* ]] && [[ "$store" == /* ]]; then
    echo "tgtd-admin-hook: put --bstype ram before --backing-store" >&2
    return 1
  fi
}

# file_args ARGS...: a truncate or dd line's arguments with every absolute path (a word, or the
# value of of=) moved into $hook_dir, in `translated`.
file_args() {
  translated=()
  local word
  for word in "$@"; do
    case "$word" in
      of=/*) translated+=("of=$(moved_path "${word#of=}")") ;;
      /*) translated+=("$(moved_path "$word")") ;;
      *) translated+=("$word") ;;
    esac
  done
}
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in ''|'#'*) continue ;; esac
  # The line's words as a shell splits them (quotes included); the first is the program.
  eval "set -- $line" || exit 2
  program="$1"
  shift
  case "$program" in
    truncate|dd)
      # A tutorial's backing-store file: made in $TGTD_HOOK_DIR under its base name, where the
      # tgtadm lines after it find it.
      file_args "$@"
      "$program" "${translated[@]}"
      status=$? ;;
    *)
      translate "$@" || exit 1
      # The trailing x keeps the output's own final newlines through $(...).
      output=$("$tgtadm_program" -C "$TGTD_CONTROL_PORT" "${translated[@]}"; status=$?; echo x;
               exit "$status")
      status=$?
      restore_paths "${output%x}" ;;
  esac
  # tgtadm's own message is all a failure prints, so a step's stderr reads as real tgtadm's.
  if [ "$status" -ne 0 ]; then exit "$status"; fi
done
exit 0
