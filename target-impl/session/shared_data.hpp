#pragma once
// A data segment that stays in the buffer it was read into. The Data-In PDUs of one read all
// point into the read's buffer, so the bytes go from the backing store's buffer to the Stream
// without a copy per PDU; the buffer lives until the last PDU cut from it has been sent.
#include <cstddef>
#include <memory>

#include "core/common/bytes.hpp"
#include "core/pdu/pdu.hpp"

namespace iscsi::target::session {

struct SharedData {
  std::shared_ptr<const Bytes> buffer;
  std::size_t offset = 0;
  std::size_t length = 0;

  bool empty() const { return length == 0 || !buffer; }
  ByteView view() const {
    return empty() ? ByteView{} : ByteView(*buffer).subspan(offset, length);
  }
};

// `pdu` with `shared` as its data segment, copied in (for tests, traces and fuzzers that look
// at whole PDUs). A PDU that already carries data keeps it.
inline pdu::Pdu with_data(pdu::Pdu pdu, const SharedData& shared) {
  if (pdu.data.empty() && !shared.empty()) {
    const ByteView bytes = shared.view();
    pdu.data.assign(bytes.begin(), bytes.end());
  }
  return pdu;
}

}  // namespace iscsi::target::session
