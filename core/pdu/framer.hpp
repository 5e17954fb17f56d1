#pragma once
// Resumable PDU framer for one direction of one connection (RFC 7143 §11: PDUs on a TCP byte
// stream). Bytes arrive in arbitrary chunks; whole PDUs come out. Splitting the stream
// differently never changes the result (C003).
//
//   framer.feed(chunk);
//   for (;;) {
//     FrameEvent event = framer.next();
//     if (std::holds_alternative<NeedMore>(event)) break;   // chunk fully consumed
//     if (auto* decoded = std::get_if<DecodedPdu>(&event)) { ... }
//     if (auto* error = std::get_if<FrameError>(&event)) { if (error->fatal()) close(); ... }
//   }
//
// Lifetime: feed() does not copy. The chunk is read in place by next() and must stay valid
// until next() returns NeedMore (then every unread byte has been copied into the framer's own
// bounded buffers) or until the next feed() call (which copies whatever is still unread).
//
// Checks, in wire order, before anything is allocated for the data segment: header digest
// (fatal), opcode (recoverable), AHS chain (recoverable), DataSegmentLength against our
// MaxRecvDataSegmentLength (recoverable, C014). A recoverable error skips the rest of that
// PDU without buffering it. Then the data digest (recoverable: RFC 7143 §7.8, the PDU is
// discarded and answered with Reject 0x02). After a fatal error the framer stays failed and
// next() returns the same error: the connection must be closed.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <variant>

#include "core/common/buffer_pool.hpp"
#include "core/common/bytes.hpp"
#include "core/common/result.hpp"
#include "core/common/violation.hpp"
#include "core/pdu/codec.hpp"
#include "core/pdu/limits.hpp"

namespace iscsi::pdu {

struct NeedMore {};

struct FrameError {
  Violation violation;
  // The 48-byte BHS of the offending PDU (what a Reject carries, RFC 7143 §11.17), or empty
  // when the error is not tied to one PDU.
  Bytes bhs;
  bool fatal() const { return violation.severity() == Severity::fatal; }
};

using FrameEvent = std::variant<NeedMore, DecodedPdu, FrameError>;

struct FramerOptions {
  DigestOptions digests{};
  // The MaxRecvDataSegmentLength we declared to the peer; 8192 until negotiated (§13.12).
  std::uint32_t max_data_segment_length = kDefaultMaxRecvDataSegmentLength;
};

class Framer {
 public:
  explicit Framer(FramerOptions options = {});

  void feed(ByteView chunk);
  FrameEvent next();
  // Copies what is still unread of the fed chunk into the framer's own buffer, so the caller
  // may release the chunk before next() answered NeedMore (a reader that stops pulling PDUs
  // mid-chunk, e.g. under back-pressure). Costs nothing when the chunk was drained.
  void retain_input();

  // Zero-copy receive of a large data segment (the stream reads straight into the PDU's
  // buffer instead of a read buffer the framer copies from):
  //   std::span<std::uint8_t> space = framer.data_space();   // empty: use feed()
  //   std::size_t n = read(space);                            // at most space.size() bytes
  //   framer.commit_data(n);                                  // then next() as after feed()
  // data_space() is the unfilled part of the data segment (with pad and data digest) of the
  // PDU in progress, and is non-empty only while all fed input has been read and that PDU's
  // header is complete. It stays valid until commit_data(), feed(), retain_input() or the
  // framer's destruction. The first call per PDU sizes the buffer (one zero-fill).
  std::span<std::uint8_t> data_space();
  // `count` bytes were written at the start of data_space(); counts above its size are
  // clamped. They are checked (data digest, pad) when the segment is complete, by next().
  void commit_data(std::size_t count);
  // Length of the data part (data, pad, digest) of the PDU whose data is being received, or 0.
  std::size_t pending_data_length() const {
    return stage_ == Stage::data ? layout_.data_part_length() : 0;
  }

  // Settings take effect from the next PDU whose first byte has not been read yet, so a caller
  // can switch digests on right after pulling the Login Final-Response.
  void set_digests(const DigestOptions& digests) { options_.digests = digests; }
  // Values above the 24-bit DataSegmentLength range are clamped to it.
  void set_max_data_segment_length(std::uint32_t length);
  // Data segments are received into buffers taken from `pool` (and a dropped one goes back to
  // it) instead of new zero-filled ones; the PDUs' owner gives them back when done with them.
  void set_buffer_pool(std::shared_ptr<BufferPool> pool) { pool_ = std::move(pool); }
  const FramerOptions& options() const { return options_; }

  bool failed() const { return failure_.has_value(); }
  // True between PDUs with no partial PDU held (a clean place for the stream to end).
  bool at_pdu_boundary() const;
  // pdu.truncated when the stream ended inside a PDU.
  Result<void> check_end_of_stream() const;
  // Stream bytes consumed so far (the offset of the next unread byte).
  std::uint64_t bytes_consumed() const { return consumed_; }
  // Bytes held in the framer's own buffers for the PDU in progress.
  std::size_t buffered_bytes() const { return header_fill_ + data_fill_; }

 private:
  enum class Stage : std::uint8_t { header, data, skip };

  FrameEvent read_header();
  FrameEvent read_data();
  FrameEvent skip_data();
  FrameEvent take_contiguous(const WireLayout& layout);
  FrameEvent header_complete();
  Result<void> check_header(ByteView header_segment, const WireLayout& layout);
  FrameEvent finish_data(DecodedPdu& decoded, ByteView data_part, Bytes* owned, ByteView bhs);
  FrameEvent error_event(Violation violation, ByteView bhs, std::size_t skip);
  void fill_header(std::size_t wanted);
  void consume(std::size_t count);
  // Small segments are not worth a pool's buffer (BufferPool::give() drops them anyway).
  bool pooled(std::size_t length) const {
    return pool_ != nullptr && length >= BufferPool::kMinCapacity;
  }

  FramerOptions options_;  // for PDUs not started yet
  FramerOptions active_;   // latched when the current PDU started
  ByteView input_;         // unread part of the caller's chunk (or of spill_)
  Bytes spill_;            // unread bytes copied when feed() came before NeedMore
  Stage stage_ = Stage::header;
  std::array<std::uint8_t, kMaxHeaderSegmentLength> header_buf_{};
  std::size_t header_fill_ = 0;
  WireLayout layout_{};
  DecodedPdu pending_;         // the PDU being decoded (its data part may still be coming)
  Bytes data_buf_;             // data + pad + data digest, reserved once per PDU
  std::size_t data_fill_ = 0;  // bytes of data_buf_ received (data_space() sizes it ahead)
  std::size_t skip_remaining_ = 0;
  std::shared_ptr<BufferPool> pool_;  // optional
  std::optional<FrameError> failure_;
  std::uint64_t consumed_ = 0;
};

}  // namespace iscsi::pdu
