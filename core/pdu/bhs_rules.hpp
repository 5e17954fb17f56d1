#pragma once
// Internal: what each opcode's layout fixes besides its fields (RFC 7143 §11.3-§11.19):
// reserved bits (MUST be sent as 0, C012), always-one bits (C011, C020), and whether a data
// segment belongs to the PDU at all (C015). Bytes 4-7 (the lengths) are never listed.
#include <array>
#include <cstdint>
#include <vector>

#include "core/common/violation.hpp"
#include "core/pdu/limits.hpp"
#include "core/pdu/opcode.hpp"

namespace iscsi::pdu::detail {

struct BhsRules {
  std::array<std::uint8_t, kBhsLength> reserved{};
  std::array<std::uint8_t, kBhsLength> always_one{};
  bool carries_data = true;
};

// The rules of one of the 18 opcodes.
const BhsRules& rules_for(Opcode opcode);

// Clears the reserved bits of a BHS being encoded and sets the always-one bits.
void apply_bhs_rules(Opcode opcode, std::uint8_t* bhs);

// Appends warning observations for reserved bits that are set and always-one bits that are
// clear in a received BHS.
void check_bhs_rules(Opcode opcode, const std::uint8_t* bhs, std::vector<Violation>& out);

// Upper bound on the byte offsets one observation lists before it summarises the rest.
inline constexpr std::size_t kMaxListedOffsets = 8;

}  // namespace iscsi::pdu::detail
