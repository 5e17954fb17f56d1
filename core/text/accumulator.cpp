#include "core/text/accumulator.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/text/text_violations.hpp"

namespace iscsi::text {

TextAccumulator::TextAccumulator(std::size_t max_total_bytes)
    : max_total_bytes_(max_total_bytes) {}

Result<std::optional<KeyValueList>> TextAccumulator::feed(ByteView segment, bool continue_bit) {
  if (segment.size() > max_total_bytes_ - std::min(total_bytes_, max_total_bytes_)) {
    const std::size_t had = total_bytes_;
    reset();
    return Violation{kTextTooLong,
                     fmt::format("a {}-byte text segment after {} bytes of this negotiation "
                                 "passes the limit of {} bytes",
                                 segment.size(), had, max_total_bytes_)};
  }
  total_bytes_ += segment.size();
  pending_.insert(pending_.end(), segment.begin(), segment.end());
  if (continue_bit) {
    open_run_ = true;
    return std::optional<KeyValueList>{};
  }
  auto pairs = parse_text(pending_);
  pending_.clear();
  open_run_ = false;
  if (!pairs) return std::move(pairs).error();
  return std::optional<KeyValueList>{std::move(pairs).value()};
}

void TextAccumulator::reset() {
  pending_.clear();
  open_run_ = false;
  total_bytes_ = 0;
}

std::vector<TextSegment> split_text(ByteView encoded, std::size_t max_segment_bytes) {
  const std::size_t step = std::max<std::size_t>(max_segment_bytes, 1);
  std::vector<TextSegment> segments;
  std::size_t offset = 0;
  do {
    const std::size_t length = std::min(step, encoded.size() - offset);
    const auto piece = encoded.subspan(offset, length);
    offset += length;
    segments.push_back(TextSegment{Bytes(piece.begin(), piece.end()), offset < encoded.size()});
  } while (offset < encoded.size());
  return segments;
}

}  // namespace iscsi::text
