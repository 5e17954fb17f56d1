#include "core/pdu/framer.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/pdu/violations.hpp"

namespace iscsi::pdu {

Framer::Framer(FramerOptions options) : options_(options), active_(options) {
  set_max_data_segment_length(options.max_data_segment_length);
}

void Framer::set_max_data_segment_length(std::uint32_t length) {
  options_.max_data_segment_length = std::min(length, kMaxDataSegmentLength);
}

void Framer::feed(ByteView chunk) {
  if (chunk.empty() || failed()) return;
  if (input_.empty()) {
    input_ = chunk;
    return;
  }
  // The previous chunk was not drained: keep its unread bytes and the new ones together.
  Bytes merged;
  merged.reserve(input_.size() + chunk.size());
  merged.insert(merged.end(), input_.begin(), input_.end());
  merged.insert(merged.end(), chunk.begin(), chunk.end());
  spill_ = std::move(merged);
  input_ = spill_;
}

void Framer::retain_input() {
  if (input_.empty()) return;
  // Copied before spill_ is replaced: input_ may point into spill_ itself.
  Bytes unread(input_.begin(), input_.end());
  spill_ = std::move(unread);
  input_ = spill_;
}

bool Framer::at_pdu_boundary() const {
  return stage_ == Stage::header && header_fill_ == 0 && input_.empty();
}

Result<void> Framer::check_end_of_stream() const {
  if (at_pdu_boundary() || failed()) return success();
  return Violation{violations::kTruncated,
                   fmt::format("stream ended inside a PDU after {} bytes ({} held, {} unread)",
                               consumed_, buffered_bytes(), input_.size())};
}

// Every stage returns its event as it builds it, so a decoded PDU is moved once into it and
// not again on the way out (this runs for every PDU received).
FrameEvent Framer::next() {
  if (failure_) return *failure_;
  switch (stage_) {
    case Stage::header:
      return read_header();
    case Stage::data:
      return read_data();
    case Stage::skip:
      return skip_data();
  }
  return NeedMore{};
}

FrameEvent Framer::skip_data() {
  const std::size_t count = std::min(skip_remaining_, input_.size());
  consume(count);
  skip_remaining_ -= count;
  if (skip_remaining_ > 0) return NeedMore{};
  stage_ = Stage::header;
  return read_header();
}

void Framer::consume(std::size_t count) {
  input_ = input_.subspan(count);
  consumed_ += count;
  if (input_.empty()) spill_.clear();
}

void Framer::fill_header(std::size_t wanted) {
  const std::size_t count = std::min(wanted - header_fill_, input_.size());
  std::copy_n(input_.begin(), count,
              header_buf_.begin() + static_cast<std::ptrdiff_t>(header_fill_));
  header_fill_ += count;
  consume(count);
}

FrameEvent Framer::read_header() {
  if (header_fill_ == 0) {
    if (input_.empty()) return NeedMore{};
    active_ = options_;
    // Fast path: the whole PDU is in the chunk, so decode it in place without buffering.
    if (input_.size() >= kBhsLength) {
      const WireLayout layout = wire_layout(input_, active_.digests);
      if (input_.size() >= layout.total()) return take_contiguous(layout);
    }
  }
  if (header_fill_ < kBhsLength) {
    fill_header(kBhsLength);
    if (header_fill_ < kBhsLength) return NeedMore{};
    layout_ = wire_layout(ByteView(header_buf_).first(kBhsLength), active_.digests);
  }
  // TotalAHSLength is one byte, so the header segment always fits header_buf_.
  fill_header(layout_.header_segment_length());
  if (header_fill_ < layout_.header_segment_length()) return NeedMore{};
  return header_complete();
}

FrameEvent Framer::header_complete() {
  const ByteView header_segment = ByteView(header_buf_).first(header_fill_);
  const ByteView bhs = header_segment.first(kBhsLength);
  header_fill_ = 0;
  Result<void> decoded = check_header(header_segment, layout_);
  if (!decoded) return error_event(std::move(decoded).error(), bhs, layout_.data_part_length());
  if (layout_.data_part_length() == 0) return finish_data(pending_, {}, nullptr, bhs);
  // DataSegmentLength was checked against the limit above, so this reservation is bounded.
  if (pooled(layout_.data_part_length())) {
    // Sized now, without a zero-fill when the pool had a buffer long enough.
    if (data_buf_.capacity() != 0) pool_->give(std::move(data_buf_));
    data_buf_ = pool_->take(layout_.data_part_length());
  } else {
    data_buf_.clear();
    data_buf_.reserve(layout_.data_part_length());
  }
  data_fill_ = 0;
  stage_ = Stage::data;
  return read_data();
}

std::span<std::uint8_t> Framer::data_space() {
  if (failed() || stage_ != Stage::data || !input_.empty()) return {};
  // Sized once per PDU, bounded by the DataSegmentLength check in check_header().
  if (data_buf_.size() < layout_.data_part_length()) data_buf_.resize(layout_.data_part_length());
  return std::span<std::uint8_t>(data_buf_).subspan(data_fill_);
}

void Framer::commit_data(std::size_t count) {
  if (failed() || stage_ != Stage::data) return;
  count = std::min(count, data_buf_.size() - data_fill_);
  data_fill_ += count;
  consumed_ += count;
}

FrameEvent Framer::read_data() {
  const std::size_t count = std::min(layout_.data_part_length() - data_fill_, input_.size());
  const auto from = input_.begin();
  if (data_buf_.size() > data_fill_) {
    // data_space() already sized the buffer: write in place.
    std::copy_n(from, count, data_buf_.begin() + static_cast<std::ptrdiff_t>(data_fill_));
  } else {
    data_buf_.insert(data_buf_.end(), from, from + static_cast<std::ptrdiff_t>(count));
  }
  data_fill_ += count;
  consume(count);
  if (data_fill_ < layout_.data_part_length()) return NeedMore{};
  data_fill_ = 0;
  stage_ = Stage::header;
  // header_buf_ still holds this PDU's BHS: nothing is written to it until the next PDU.
  const ByteView bhs = ByteView(header_buf_).first(kBhsLength);
  return finish_data(pending_, data_buf_, &data_buf_, bhs);
}

FrameEvent Framer::take_contiguous(const WireLayout& layout) {
  const ByteView pdu = input_.first(layout.total());
  const ByteView bhs = pdu.first(kBhsLength);
  Result<void> decoded = check_header(pdu.first(layout.header_segment_length()), layout);
  if (!decoded) {
    Bytes bhs_copy(bhs.begin(), bhs.end());
    consume(layout.header_segment_length());
    return error_event(std::move(decoded).error(), bhs_copy, layout.data_part_length());
  }
  layout_ = layout;
  FrameEvent event =
      finish_data(pending_, pdu.subspan(layout.header_segment_length()), nullptr, bhs);
  consume(layout.total());
  return event;
}

// Decodes the header into pending_, where the PDU stays until its data part is complete.
Result<void> Framer::check_header(ByteView header_segment, const WireLayout& layout) {
  const ByteView header = header_segment.first(layout.header_length());
  if (active_.digests.header) {
    Result<void> ok = verify_header_digest(header, header_segment.subspan(header.size()));
    if (!ok) return ok;
  }
  if (Result<void> ok = decode_header_into(header, pending_); !ok) return ok;
  if (layout.data_segment_length > active_.max_data_segment_length) {
    return Violation{violations::kDataSegmentTooLong,
                     fmt::format("{} ITT=0x{:08x}: DataSegmentLength {} exceeds the "
                                 "MaxRecvDataSegmentLength {} declared to the peer",
                                 to_string(opcode(pending_.pdu)), itt(pending_.pdu),
                                 layout.data_segment_length, active_.max_data_segment_length)};
  }
  return success();
}

// Moves `decoded` into the event it returns.
FrameEvent Framer::finish_data(DecodedPdu& decoded, ByteView data_part, Bytes* owned,
                               ByteView bhs) {
  const std::size_t data_length = layout_.data_segment_length;
  const ByteView data_and_pad = data_part.first(data_length + layout_.pad);
  if (layout_.data_digest != 0) {
    Result<void> ok = verify_data_digest(decoded.pdu.header, data_and_pad,
                                         data_part.subspan(data_and_pad.size()));
    // Recoverable: the PDU is dropped but the stream stays framed (RFC 7143 §7.8).
    if (!ok) return FrameError{ok.error(), Bytes(bhs.begin(), bhs.end())};
  }
  check_pad(decoded.pdu.header, data_and_pad.subspan(data_length), decoded.observations);
  if (owned != nullptr) {
    owned->resize(data_length);
    decoded.pdu.data = std::move(*owned);
  } else if (pooled(data_length)) {
    decoded.pdu.data = pool_->take(data_length);
    std::copy_n(data_part.begin(), data_length, decoded.pdu.data.begin());
  } else {
    decoded.pdu.data.assign(data_part.begin(),
                            data_part.begin() + static_cast<std::ptrdiff_t>(data_length));
  }
  return std::move(decoded);
}

FrameEvent Framer::error_event(Violation violation, ByteView bhs, std::size_t skip) {
  FrameError error{std::move(violation), Bytes(bhs.begin(), bhs.end())};
  if (error.fatal()) {
    failure_ = error;
    input_ = {};
    spill_.clear();
    return error;
  }
  skip_remaining_ = skip;
  stage_ = skip > 0 ? Stage::skip : Stage::header;
  return error;
}

}  // namespace iscsi::pdu
