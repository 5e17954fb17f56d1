#pragma once
// One-line human summaries of PDUs for traces, reports and `iscsim` output, e.g.
//   SCSI Command ITT=0x00000012 LUN=1 CmdSN=5 ExpStatSN=3 EDTL=4096
//   CDB=28 00 00 00 00 10 00 00 08 00 attr=Simple(0x01) F R DSL=0
// (one line in reality).
// Field names follow the RFC (ITT, TTT, CmdSN, StatSN, ...); coded values print as
// "Name(0xNN)"; set flag bits are listed last as their RFC letters.
#include <string>

#include "core/pdu/pdu.hpp"

namespace iscsi::pdu {

std::string describe(const Pdu& pdu);
// The header alone (no data segment summary, no AHS).
std::string describe(const Header& header);

// Upper bound on the characters of key=value text quoted from a Login/Text data segment.
inline constexpr std::size_t kMaxDescribedTextChars = 160;

// "GOOD", "CHECK CONDITION" ... for the SCSI status codes of SAM-5; "reserved" otherwise.
std::string_view scsi_status_name(std::uint8_t status);

}  // namespace iscsi::pdu
