#pragma once
// Multi-PDU text (RFC 7143 §6.1, §11.10.2, §11.12.2): with the C (continue) bit set, a Login or
// Text PDU carries an incomplete text and a key=value pair may be cut anywhere, even inside the
// key or right before its NUL (C042, C043). The accumulator joins the data segments of one run
// and parses the whole once the C=0 PDU arrives. The splitter is the sending side.
#include <cstddef>
#include <optional>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/common/result.hpp"
#include "core/text/key_value.hpp"

namespace iscsi::text {

// RFC 7143 §6.2: every implementation MUST accept at least 16384 bytes of key=value text in
// one negotiation, and at least 64 KiB when an authentication method with long items is used.
inline constexpr std::size_t kMinNegotiationTextBytes = 16384;
inline constexpr std::size_t kDefaultMaxNegotiationTextBytes = 65536;

class TextAccumulator {
 public:
  // `max_total_bytes` bounds all text fed between resets: one negotiation (a whole login, or
  // one Text exchange). Values below kMinNegotiationTextBytes break RFC 7143 §6.2 and are
  // meant for tests.
  explicit TextAccumulator(std::size_t max_total_bytes = kDefaultMaxNegotiationTextBytes);

  // Feeds the data segment of one PDU with its C bit. Returns nullopt while the run is
  // incomplete, the parsed pairs of the whole run on the C=0 PDU (an empty list for an empty
  // run), or a Violation: text.too-long when the negotiation's text passes the limit (checked
  // before the bytes are stored), or any parse_text violation. After a violation the partial
  // text is dropped.
  Result<std::optional<KeyValueList>> feed(ByteView segment, bool continue_bit);

  // Starts a new negotiation: drops partial text and the byte count.
  void reset();

  bool in_progress() const { return !pending_.empty() || open_run_; }
  std::size_t total_bytes() const { return total_bytes_; }
  std::size_t max_total_bytes() const { return max_total_bytes_; }

 private:
  std::size_t max_total_bytes_;
  std::size_t total_bytes_ = 0;
  Bytes pending_;
  bool open_run_ = false;
};

// One data segment to send, with the C bit it needs.
struct TextSegment {
  Bytes data;
  bool continue_bit = false;
  bool operator==(const TextSegment&) const = default;
};

// Cuts encoded text into segments of at most `max_segment_bytes` (the peer's
// MaxRecvDataSegmentLength, RFC 7143 §13.12) with C=1 on all but the last; cuts fall anywhere,
// inside pairs too. Empty text gives one empty C=0 segment. A limit of 0 is treated as 1.
std::vector<TextSegment> split_text(ByteView encoded, std::size_t max_segment_bytes);

}  // namespace iscsi::text
