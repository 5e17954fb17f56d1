#pragma once
// A decoded PDU shown the way tshark's iSCSI dissector (Wireshark 4.0) shows it: field names
// are tshark's (`iscsi.cmdsn`, `scsi.lun` ...) and values use tshark's `-T fields` formatting
// (hex for tags and codes, decimal for sequence numbers). The comparison tests put iscsim's
// decoder next to an independent decoder with it (issue 2: real bytes as the reference).
#include <map>
#include <string>
#include <vector>

#include "core/pdu/pdu.hpp"

namespace iscsi::pdu::testing {

using TsharkFields = std::map<std::string, std::string>;

// The fields tshark prints for this PDU, as decoded by iscsim. A Reject also shows the fields
// of the rejected BHS it carries, where its own layout has none (tshark dissects that BHS too).
TsharkFields tshark_view(const Pdu& pdu);

// One row of scripts/tshark-fields.sh output: column name -> value, empty values dropped.
struct TsharkRow {
  unsigned frame_number = 0;
  TsharkFields fields;
};
// Parses the whole TSV (header line first). Fails the calling test on a malformed file.
std::vector<TsharkRow> parse_tshark_tsv(const std::string& tsv);

// Fields tshark takes from the SCSI request a response belongs to rather than from the PDU's
// own bytes (e.g. `scsi.lun` on a SCSI Response, whose bytes 8-15 are reserved).
bool is_context_field(const std::string& field, const TsharkFields& row);

}  // namespace iscsi::pdu::testing
