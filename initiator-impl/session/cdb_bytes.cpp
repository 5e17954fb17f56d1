#include "initiator-impl/session/cdb_bytes.hpp"

#include <algorithm>

namespace iscsi::initiator::session {

CdbBytes::CdbBytes(ByteView bytes) : size_(bytes.size()) {
  if (inline_size()) {
    std::copy(bytes.begin(), bytes.end(), inline_.begin());
  } else {
    heap_.assign(bytes.begin(), bytes.end());
  }
}

CdbBytes::CdbBytes(std::size_t size, std::uint8_t value) : size_(size) {
  if (inline_size()) {
    std::fill_n(inline_.begin(), size, value);
  } else {
    heap_.assign(size, value);
  }
}

bool operator==(const CdbBytes& left, const CdbBytes& right) {
  return std::equal(left.begin(), left.end(), right.begin(), right.end());
}

}  // namespace iscsi::initiator::session
