#pragma once
// The parameter data of the one-command queries, decoded into the lines `iscsim io` prints:
// standard INQUIRY data (SPC-4 §6.6.2), READ CAPACITY (16) data (SBC-3 §5.16.2) and the REPORT
// LUNS list (SPC-4 §6.33.2). The data comes from the target, so short or odd data is an error
// sentence, never a crash.
#include <string>
#include <vector>

#include "core/common/bytes.hpp"

namespace iscsi::initiator::io {

struct DecodedAnswer {
  std::vector<std::string> lines;
  std::string error;  // non-empty: the data could not be read
};

// Standard INQUIRY data holds vendor, product and revision in its first 36 bytes.
inline constexpr std::size_t kStandardInquiryLength = 36;

DecodedAnswer decode_inquiry(ByteView data);
DecodedAnswer decode_read_capacity16(ByteView data);
DecodedAnswer decode_report_luns(ByteView data);

}  // namespace iscsi::initiator::io
