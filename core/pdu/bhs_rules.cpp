#include "core/pdu/bhs_rules.hpp"

#include <cstring>
#include <initializer_list>
#include <string>

#include <fmt/format.h>

#include "core/pdu/violations.hpp"

namespace iscsi::pdu::detail {
namespace {

struct Bits {
  std::uint8_t byte;
  std::uint8_t mask;
};
struct ByteSpan {  // whole bytes [first, end)
  std::uint8_t first;
  std::uint8_t end;
};

// Byte 0 bit 0x80 is reserved in every PDU; bit 0x40 (I) is reserved where the PDU has no I.
constexpr Bits kNoImmediate{0, 0xc0};
constexpr Bits kWithImmediate{0, 0x80};
constexpr Bits kFinalAlwaysOne{1, 0x80};

constexpr BhsRules make_rules(std::initializer_list<Bits> reserved_bits,
                              std::initializer_list<ByteSpan> reserved_bytes,
                              std::initializer_list<Bits> always_one, bool carries_data) {
  BhsRules rules;
  for (Bits bits : reserved_bits) rules.reserved[bits.byte] |= bits.mask;
  for (ByteSpan span : reserved_bytes) {
    for (std::size_t i = span.first; i < span.end; ++i) rules.reserved[i] = 0xff;
  }
  for (Bits bits : always_one) rules.always_one[bits.byte] |= bits.mask;
  rules.carries_data = carries_data;
  return rules;
}

// Initiator PDUs (RFC 7143 §11.3, §11.5, §11.7, §11.10, §11.12, §11.14, §11.16, §11.18).
constexpr BhsRules kNopOut =
    make_rules({kWithImmediate, {1, 0x7f}}, {{2, 4}, {32, 48}}, {kFinalAlwaysOne}, true);
constexpr BhsRules kScsiCommand = make_rules({kWithImmediate, {1, 0x18}}, {{2, 4}}, {}, true);
constexpr BhsRules kTaskMgmtRequest =
    make_rules({kWithImmediate}, {{2, 4}, {40, 48}}, {kFinalAlwaysOne}, false);
constexpr BhsRules kLoginRequest =
    make_rules({{0, 0x80}, {1, 0x30}}, {{22, 24}, {32, 48}}, {{0, 0x40}}, true);
constexpr BhsRules kTextRequest =
    make_rules({kWithImmediate, {1, 0x3f}}, {{2, 4}, {32, 48}}, {}, true);
constexpr BhsRules kScsiDataOut =
    make_rules({kNoImmediate, {1, 0x7f}}, {{2, 4}, {24, 28}, {32, 36}, {44, 48}}, {}, true);
constexpr BhsRules kLogoutRequest =
    make_rules({kWithImmediate}, {{2, 4}, {8, 16}, {22, 24}, {32, 48}}, {kFinalAlwaysOne}, false);
constexpr BhsRules kSnackRequest =
    make_rules({kNoImmediate, {1, 0x70}}, {{2, 4}, {24, 28}, {32, 40}}, {kFinalAlwaysOne}, false);

// Target PDUs (RFC 7143 §11.4, §11.6, §11.7-§11.9, §11.11, §11.13, §11.15, §11.17, §11.19).
constexpr BhsRules kNopIn =
    make_rules({kNoImmediate, {1, 0x7f}}, {{2, 4}, {36, 48}}, {kFinalAlwaysOne}, true);
constexpr BhsRules kScsiResponse =
    make_rules({kNoImmediate, {1, 0x61}}, {{8, 16}}, {kFinalAlwaysOne}, true);
constexpr BhsRules kTaskMgmtResponse = make_rules(
    {kNoImmediate, {1, 0x7f}}, {{3, 4}, {8, 16}, {20, 24}, {36, 48}}, {kFinalAlwaysOne}, false);
constexpr BhsRules kLoginResponse =
    make_rules({kNoImmediate, {1, 0x30}}, {{20, 24}, {38, 48}}, {}, true);
constexpr BhsRules kTextResponse =
    make_rules({kNoImmediate, {1, 0x3f}}, {{2, 4}, {36, 48}}, {}, true);
constexpr BhsRules kScsiDataIn = make_rules({kNoImmediate, {1, 0x38}}, {{2, 3}}, {}, true);
constexpr BhsRules kLogoutResponse =
    make_rules({kNoImmediate, {1, 0x7f}}, {{3, 4}, {8, 16}, {20, 24}, {36, 40}, {44, 48}},
               {kFinalAlwaysOne}, false);
constexpr BhsRules kR2t = make_rules({kNoImmediate, {1, 0x7f}}, {{2, 4}}, {kFinalAlwaysOne}, false);
constexpr BhsRules kAsyncMessage =
    make_rules({kNoImmediate, {1, 0x7f}}, {{2, 4}, {20, 24}, {44, 48}}, {kFinalAlwaysOne}, true);
constexpr BhsRules kReject = make_rules(
    {kNoImmediate, {1, 0x7f}}, {{3, 4}, {8, 16}, {20, 24}, {40, 48}}, {kFinalAlwaysOne}, true);

std::uint64_t load_word(const std::uint8_t* p) {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof(word));
  return word;
}

// "byte 1 = 0x08 (mask 0x61), byte 9 = 0x05 ... and 3 more"
std::string list_offsets(const std::uint8_t* bhs, const std::array<std::uint8_t, kBhsLength>& mask,
                         bool want_set) {
  std::string text;
  std::size_t listed = 0;
  std::size_t unlisted = 0;
  for (std::size_t i = 0; i < kBhsLength; ++i) {
    const auto bad = static_cast<std::uint8_t>((want_set ? bhs[i] : ~bhs[i]) & mask[i]);
    if (bad == 0) continue;
    if (listed == kMaxListedOffsets) {
      ++unlisted;
      continue;
    }
    if (listed > 0) text += ", ";
    text += mask[i] == 0xff ? fmt::format("byte {} = 0x{:02x}", i, bhs[i])
                            : fmt::format("byte {} = 0x{:02x} (bits 0x{:02x})", i, bhs[i], bad);
    ++listed;
  }
  if (unlisted > 0) text += fmt::format(" and {} more", unlisted);
  return text;
}

}  // namespace

const BhsRules& rules_for(Opcode opcode) {
  switch (opcode) {
    case Opcode::nop_out:
      return kNopOut;
    case Opcode::scsi_command:
      return kScsiCommand;
    case Opcode::task_mgmt_request:
      return kTaskMgmtRequest;
    case Opcode::login_request:
      return kLoginRequest;
    case Opcode::text_request:
      return kTextRequest;
    case Opcode::scsi_data_out:
      return kScsiDataOut;
    case Opcode::logout_request:
      return kLogoutRequest;
    case Opcode::snack_request:
      return kSnackRequest;
    case Opcode::nop_in:
      return kNopIn;
    case Opcode::scsi_response:
      return kScsiResponse;
    case Opcode::task_mgmt_response:
      return kTaskMgmtResponse;
    case Opcode::login_response:
      return kLoginResponse;
    case Opcode::text_response:
      return kTextResponse;
    case Opcode::scsi_data_in:
      return kScsiDataIn;
    case Opcode::logout_response:
      return kLogoutResponse;
    case Opcode::r2t:
      return kR2t;
    case Opcode::async_message:
      return kAsyncMessage;
    case Opcode::reject:
      return kReject;
  }
  // Not reachable for the 18 opcodes; an undefined value has no layout to check, so every bit
  // counts as a field.
  static constexpr BhsRules kNone{};
  return kNone;
}

void apply_bhs_rules(Opcode opcode, std::uint8_t* bhs) {
  const BhsRules& rules = rules_for(opcode);
  // Eight bytes at a time: this runs for every PDU sent.
  for (std::size_t i = 0; i < kBhsLength; i += sizeof(std::uint64_t)) {
    const std::uint64_t word = (load_word(bhs + i) & ~load_word(rules.reserved.data() + i)) |
                               load_word(rules.always_one.data() + i);
    std::memcpy(bhs + i, &word, sizeof(word));
  }
}

void check_bhs_rules(Opcode opcode, const std::uint8_t* bhs, std::vector<Violation>& out) {
  const BhsRules& rules = rules_for(opcode);
  // Eight bytes at a time: this runs for every received PDU.
  std::uint64_t reserved_set = 0;
  std::uint64_t always_one_clear = 0;
  for (std::size_t i = 0; i < kBhsLength; i += sizeof(std::uint64_t)) {
    reserved_set |= load_word(bhs + i) & load_word(rules.reserved.data() + i);
    always_one_clear |= ~load_word(bhs + i) & load_word(rules.always_one.data() + i);
  }
  if (reserved_set != 0) {
    out.push_back({violations::kReservedFieldNonZero,
                   fmt::format("{}: reserved field(s) not zero: {}", to_string(opcode),
                               list_offsets(bhs, rules.reserved, true))});
  }
  if (always_one_clear != 0) {
    out.push_back({violations::kAlwaysOneBitClear,
                   fmt::format("{}: bit(s) the layout fixes to 1 are 0: {}", to_string(opcode),
                               list_offsets(bhs, rules.always_one, false))});
  }
}

}  // namespace iscsi::pdu::detail
