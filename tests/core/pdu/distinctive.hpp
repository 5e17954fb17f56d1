#pragma once
// Test data: one header per opcode with every field set to a distinctive non-default value
// (flags inverted from their defaults, each number different), so a codec that drops, swaps
// or misplaces any field fails the round trip.
#include <vector>

#include "core/pdu/pdu.hpp"

namespace iscsi::pdu::testing {

std::vector<Header> distinctive_headers();

}  // namespace iscsi::pdu::testing
