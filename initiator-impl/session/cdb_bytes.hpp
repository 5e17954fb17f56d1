#pragma once
// The CDB a ScsiRequest carries: 1 to 260 bytes (RFC 7143 §11.3.5; bytes past 16 travel in an
// Extended CDB AHS, §11.2.2.3). Up to 16 bytes, every CDB but an extended one, are held in
// place, so a command costs no allocation for its CDB (issue 5, bench/initiator_perf); longer
// ones go to the heap. boost::container::small_vector does the same, but GCC 12 reports a
// false -Wstringop-overread on every move of it, and the build treats warnings as errors.
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>

#include "core/common/bytes.hpp"

namespace iscsi::initiator::session {

class CdbBytes {
 public:
  static constexpr std::size_t kInlineBytes = 16;

  CdbBytes() = default;
  // Implicit: a CDB is its bytes (`request.cdb = cdb::read16(lba, blocks)`).
  CdbBytes(ByteView bytes);  // NOLINT(google-explicit-constructor)
  CdbBytes(const Bytes& bytes) : CdbBytes(ByteView(bytes)) {}  // NOLINT(google-explicit-*)
  CdbBytes(std::initializer_list<std::uint8_t> bytes)
      : CdbBytes(ByteView(bytes.begin(), bytes.size())) {}
  // `size` bytes of `value` (a CDB builder fills in the fields afterwards).
  CdbBytes(std::size_t size, std::uint8_t value);

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::uint8_t* data() { return inline_size() ? inline_.data() : heap_.data(); }
  const std::uint8_t* data() const { return inline_size() ? inline_.data() : heap_.data(); }
  const std::uint8_t* begin() const { return data(); }
  const std::uint8_t* end() const { return data() + size_; }
  std::uint8_t& operator[](std::size_t index) { return data()[index]; }
  std::uint8_t operator[](std::size_t index) const { return data()[index]; }
  ByteView view() const { return {data(), size_}; }
  operator ByteView() const { return view(); }  // NOLINT(google-explicit-constructor)

  friend bool operator==(const CdbBytes& left, const CdbBytes& right);

 private:
  bool inline_size() const { return size_ <= kInlineBytes; }

  std::array<std::uint8_t, kInlineBytes> inline_{};
  Bytes heap_;  // the bytes when there are more than kInlineBytes
  std::size_t size_ = 0;
};

}  // namespace iscsi::initiator::session
