#pragma once
// Internal: AHS chain encoding and decoding (RFC 7143 §11.2.2).
#include <string_view>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/common/result.hpp"
#include "core/pdu/ahs.hpp"

namespace iscsi::pdu::detail {

// Appends one AHS with its padding.
void encode_ahs(const Ahs& ahs, Bytes& out);

// Decodes the AHS chain (exactly TotalAHSLength * 4 bytes). Fails with
// pdu.ahs-length-mismatch when an AHS runs past the chain or the chain ends inside an AHS
// header; appends warnings for unknown types, unexpected lengths and non-zero reserved bytes.
// `pdu_name` names the PDU in detail sentences.
Result<std::vector<Ahs>> decode_ahs_chain(ByteView chain, std::string_view pdu_name,
                                          std::vector<Violation>& observations);

}  // namespace iscsi::pdu::detail
