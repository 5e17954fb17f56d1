#include "core/pdu/bhs_fields.hpp"

#include <cassert>

namespace iscsi::pdu::detail {

void write_fields(const Header& header, std::uint8_t* bhs) {
  std::visit([bhs](const auto& h) { write(h, bhs); }, header);
}

Header read_fields(Opcode opcode, const std::uint8_t* bhs) {
  std::optional<Header> header = make_header(opcode);
  // Callers classify the opcode first (opcode_from_byte), so only the 18 reach here.
  assert(header.has_value());
  if (!header) return Header{};
  std::visit([bhs](auto& h) { read(bhs, h); }, *header);
  return std::move(*header);
}

}  // namespace iscsi::pdu::detail
