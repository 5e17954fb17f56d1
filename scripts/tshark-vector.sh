#!/usr/bin/env bash
# Turns a hand-written PDU hex dump (tests/core/pdu/testdata/vectors/*.txt: text2pcap's hex
# format, '#' comments, a "# ports: SRC,DST" line) into a capture with text2pcap and prints
# tshark's fields for it (scripts/tshark-fields.sh format). Usage:
#   scripts/tshark-vector.sh VECTOR.txt > VECTOR.tshark.tsv
set -euo pipefail
vector="$1"
here="$(cd "$(dirname "$0")" && pwd)"
ports=$(sed -n 's/^# ports: *//p' "$vector")
[ -n "$ports" ] || { echo "tshark-vector.sh: $vector has no '# ports: SRC,DST' line" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
grep -v '^#' "$vector" > "$work/dump.txt"
text2pcap -q -T "$ports" "$work/dump.txt" "$work/vector.pcap" >/dev/null
bash "$here/tshark-fields.sh" "$work/vector.pcap"
