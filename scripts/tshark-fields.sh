#!/usr/bin/env bash
# Prints, for every iSCSI PDU of a capture, the field values tshark decodes, one tab-separated
# row per frame. tests/core/pdu/tshark_capture_test.cpp compares iscsim's decoder with these
# values (and the committed golden file with a live run when tshark is installed).
# Usage: scripts/tshark-fields.sh CAPTURE [TARGET_PORT=3260] > golden.tsv
set -euo pipefail
capture="$1"
port="${2:-3260}"
fields=(
  frame.number tcp.srcport tcp.dstport
  iscsi.opcode iscsi.I iscsi.flags iscsi.totalahslength iscsi.datasegmentlength scsi.lun
  iscsi.initiatortasktag iscsi.targettransfertag
  iscsi.cmdsn iscsi.expstatsn iscsi.statsn iscsi.expcmdsn iscsi.maxcmdsn
  iscsi.datasn iscsi.r2tsn iscsi.bufferOffset iscsi.desireddatalength
  iscsi.scsicommand.expecteddatatransferlength scsi_sbc.opcode
  iscsi.scsiresponse.response iscsi.scsiresponse.status iscsi.scsiresponse.residualcount
  iscsi.scsidata.readresidualcount iscsi.expdatasn
  iscsi.login.T iscsi.login.C iscsi.login.csg iscsi.login.nsg iscsi.login.status
  iscsi.versionmax iscsi.versionmin iscsi.versionactive iscsi.isid iscsi.tsih iscsi.cid
  iscsi.text.F iscsi.text.C iscsi.keyvalue
  iscsi.taskmanfun.function iscsi.taskmanfun.referencedtasktag iscsi.refcmdsn
  iscsi.taskmanfun.response iscsi.logout.reason iscsi.logout.response
  iscsi.time2wait iscsi.time2retain
  iscsi.snack.type iscsi.snack.begrun iscsi.snack.runlength
  iscsi.asyncevent iscsi.eventvendorcode iscsi.parameter1 iscsi.parameter2 iscsi.parameter3
  iscsi.reject.reason iscsi.pingdata
)
args=()
keycol=0
i=0
for f in "${fields[@]}"; do
  args+=(-e "$f"); i=$((i + 1))
  [ "$f" = iscsi.keyvalue ] && keycol=$i
done
# First occurrence of each field: one PDU per frame in the captures we compare, and the SCSI
# dissector repeats scsi.lun / scsi_sbc.opcode further down the same frame.
printf '%s\n' "$(IFS=$'\t'; echo "${fields[*]}")"
prefs=(-o "iscsi.target_ports:$port" -o iscsi.bogus_pdu_max_data_len:16777215)
# Every key=value of a PDU, joined with '|' (no key in the captures we compare contains one),
# replaces the first-occurrence keyvalue column.
tshark -r "$capture" "${prefs[@]}" -Y iscsi -T fields -E occurrence=a -E aggregator='|' \
  -e frame.number -e iscsi.keyvalue 2>/dev/null > "${TMPDIR:-/tmp}/keys.$$"
tshark -r "$capture" "${prefs[@]}" -Y iscsi -T fields -E occurrence=f -E separator=/t \
  "${args[@]}" 2>/dev/null |
  awk -F'\t' -v OFS='\t' -v keys="${TMPDIR:-/tmp}/keys.$$" -v col="$keycol" '
    BEGIN { while ((getline line < keys) > 0) { split(line, kv, "\t"); all[kv[1]] = kv[2] } }
    { $col = all[$1]; print }'
rm -f "${TMPDIR:-/tmp}/keys.$$"
