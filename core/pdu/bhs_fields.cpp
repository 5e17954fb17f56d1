#include "core/pdu/bhs_fields.hpp"

#include <cassert>
#include <optional>
#include <type_traits>

namespace iscsi::pdu::detail {

void write_fields(const Header& header, std::uint8_t* bhs) {
  std::visit([bhs](const auto& h) { write(h, bhs); }, header);
}

void read_fields_into(Opcode opcode, const std::uint8_t* bhs, Header& header) {
  // A connection receives runs of one PDU type (Data-In after Data-In, SCSI Command after SCSI
  // Command): a header that already holds the type is reset where it is, not built anew.
  if (pdu::opcode(header) != opcode) {
    std::optional<Header> made = make_header(opcode);
    // Callers classify the opcode first (opcode_from_byte), so only the 18 reach here.
    assert(made.has_value());
    header = made ? std::move(*made) : Header{};
  }
  std::visit(
      [bhs](auto& h) {
        h = std::remove_cvref_t<decltype(h)>{};
        read(bhs, h);
      },
      header);
}

}  // namespace iscsi::pdu::detail
