#include "core/pdu/pdu.hpp"

#include <algorithm>

namespace iscsi::pdu {
namespace {

// Builds the alternative of Header whose kOpcode matches, by walking the variant's types.
template <std::size_t I = 0>
std::optional<Header> header_for(Opcode wanted) {
  if constexpr (I == std::variant_size_v<Header>) {
    return std::nullopt;
  } else {
    using Alternative = std::variant_alternative_t<I, Header>;
    if (Alternative::kOpcode == wanted) return Header{Alternative{}};
    return header_for<I + 1>(wanted);
  }
}

// Reads member `field` of whichever header is active, when that header has it.
#define ISCSI_PDU_OPTIONAL_FIELD(function, field, type) \
  std::optional<type> function(const Header& header) {  \
    return std::visit(                                  \
        [](const auto& h) -> std::optional<type> {      \
          if constexpr (requires { h.field; }) {        \
            return h.field;                             \
          } else {                                      \
            return std::nullopt;                        \
          }                                             \
        },                                              \
        header);                                        \
  }

}  // namespace

std::optional<Header> make_header(Opcode opcode) { return header_for(opcode); }

Opcode opcode(const Header& header) {
  return std::visit([](const auto& h) { return std::decay_t<decltype(h)>::kOpcode; }, header);
}

std::uint32_t itt(const Header& header) {
  return std::visit([](const auto& h) { return h.itt; }, header);
}

ISCSI_PDU_OPTIONAL_FIELD(ttt, ttt, std::uint32_t)
ISCSI_PDU_OPTIONAL_FIELD(cmd_sn, cmd_sn, std::uint32_t)
ISCSI_PDU_OPTIONAL_FIELD(exp_stat_sn, exp_stat_sn, std::uint32_t)
ISCSI_PDU_OPTIONAL_FIELD(stat_sn, stat_sn, std::uint32_t)
ISCSI_PDU_OPTIONAL_FIELD(exp_cmd_sn, exp_cmd_sn, std::uint32_t)
ISCSI_PDU_OPTIONAL_FIELD(max_cmd_sn, max_cmd_sn, std::uint32_t)
ISCSI_PDU_OPTIONAL_FIELD(lun, lun, Lun)

#undef ISCSI_PDU_OPTIONAL_FIELD

bool immediate(const Header& header) {
  if (std::holds_alternative<LoginRequest>(header)) return true;
  return std::visit(
      [](const auto& h) {
        if constexpr (requires { h.immediate; }) {
          return h.immediate;
        } else {
          return false;
        }
      },
      header);
}

std::optional<Bytes> full_cdb(const Pdu& pdu) {
  const auto* command = std::get_if<ScsiCommand>(&pdu.header);
  if (command == nullptr) return std::nullopt;
  Bytes cdb(command->cdb.begin(), command->cdb.end());
  for (const Ahs& ahs : pdu.ahs) {
    if (const auto* extended = std::get_if<ExtendedCdbAhs>(&ahs)) {
      cdb.insert(cdb.end(), extended->cdb_tail.begin(), extended->cdb_tail.end());
    }
  }
  return cdb;
}

bool set_cdb(Pdu& pdu, ByteView cdb) {
  auto* command = std::get_if<ScsiCommand>(&pdu.header);
  if (command == nullptr) return false;
  command->cdb.fill(0);
  const std::size_t head = std::min(cdb.size(), kBhsCdbLength);
  std::copy_n(cdb.begin(), head, command->cdb.begin());
  std::erase_if(pdu.ahs, [](const Ahs& a) { return std::holds_alternative<ExtendedCdbAhs>(a); });
  if (cdb.size() > kBhsCdbLength) {
    // Placed first, before any Bidirectional AHS, in the order Linux's initiator uses.
    pdu.ahs.insert(
        pdu.ahs.begin(),
        ExtendedCdbAhs{Bytes(cdb.begin() + static_cast<std::ptrdiff_t>(head), cdb.end())});
  }
  return true;
}

std::optional<std::uint32_t> bidi_read_expected_length(const Pdu& pdu) {
  for (const Ahs& ahs : pdu.ahs) {
    if (const auto* bidi = std::get_if<BidiReadLengthAhs>(&ahs)) {
      return bidi->read_expected_data_transfer_length;
    }
  }
  return std::nullopt;
}

}  // namespace iscsi::pdu
