// raw_pdu: steps (docs/scenarios.md, raw_pdu): one hand-made PDU written on the connection of a
// logged-in session, then the target's reaction watched for a bounded virtual time.
#include <fmt/format.h>

#include <array>

#include "core/common/bytes.hpp"
#include "core/crc32c/crc32c.hpp"
#include "core/pdu/codec.hpp"
#include "core/pdu/describe.hpp"
#include "initiator-impl/client/session.hpp"
#include "scenarios/run_step.hpp"

namespace iscsi::scenarios {
namespace {

constexpr std::size_t kRawBhsBytes = 48;
constexpr std::uint8_t kRejectOpcode = 0x3f;  // RFC 7143 §11.17
constexpr std::uint8_t kLoginOpcode = 0x03;
constexpr std::uint8_t kLogoutOpcode = 0x06;
constexpr std::uint8_t kScsiCommandOpcode = 0x01;
// The ITT of a built PDU when `fields` gives none: far from the small tags the session uses.
constexpr std::uint32_t kRawItt = 0x7a000001;

// Where RFC 7143 §11 puts a field: byte offset and width in bytes. Fields that share bytes in
// different PDU layouts (TTT, ExpectedDataTransferLength and CID at 20; ISID and LUN at 8)
// share them here too; the scenario names the one its opcode has.
struct Placement {
  std::size_t offset = 0;
  std::size_t width = 0;
};

Placement placement(std::string_view field) {
  if (field == "version_max") return {2, 1};
  if (field == "version_min") return {3, 1};
  if (field == "total_ahs_length") return {4, 1};
  if (field == "data_segment_length") return {5, 3};
  if (field == "lun") return {8, 8};
  if (field == "isid") return {8, 6};
  if (field == "tsih") return {14, 2};
  if (field == "itt") return {16, 4};
  if (field == "cid") return {20, 2};
  if (field == "ttt" || field == "expected_data_transfer_length") return {20, 4};
  if (field == "cmd_sn") return {24, 4};
  if (field == "exp_stat_sn") return {28, 4};
  if (field == "data_sn" || field == "r2t_sn") return {36, 4};
  if (field == "buffer_offset") return {40, 4};
  // flags and immediate are set by build_raw_pdu itself.
  return {0, 0};
}

void put(Bytes& bhs, Placement where, std::uint64_t value) {
  for (std::size_t i = 0; i < where.width; ++i) {
    bhs[where.offset + where.width - 1 - i] = static_cast<std::uint8_t>(value >> (8 * i));
  }
}

std::uint64_t field_or(const RawPduStep& step, const std::string& name, std::uint64_t value) {
  auto found = step.fields.find(name);
  return found == step.fields.end() ? value : found->second;
}

}  // namespace

Bytes build_raw_pdu(const RawPduStep& step, const RawPduContext& context) {
  if (!step.opcode) return step.hex;
  const std::uint8_t opcode = *step.opcode;
  Bytes pdu(kRawBhsBytes, 0);
  // Immediate by default, so the PDU takes no CmdSN from the session (RFC 7143 §3.2.2.1).
  const bool immediate = field_or(step, "immediate", 1) != 0;
  pdu[0] = static_cast<std::uint8_t>(opcode | (immediate ? 0x40 : 0x00));
  pdu[1] = static_cast<std::uint8_t>(field_or(step, "flags", 0x80));
  put(pdu, placement("itt"), kRawItt);
  if (opcode != kLoginOpcode && opcode != kLogoutOpcode && opcode != kScsiCommandOpcode) {
    put(pdu, placement("ttt"), 0xffffffff);
  }
  put(pdu, placement("cmd_sn"), context.cmd_sn);
  put(pdu, placement("exp_stat_sn"), context.exp_stat_sn);
  put(pdu, placement("data_segment_length"), step.data.size());
  for (const auto& [name, value] : step.fields) {
    const Placement where = placement(name);
    if (where.width != 0) put(pdu, where, value);
  }
  if (context.digests.header) {
    std::array<std::uint8_t, 4> digest{};
    crc32c::store_digest(digest.data(), crc32c::compute(ByteView(pdu)));
    pdu.insert(pdu.end(), digest.begin(), digest.end());
  }
  if (!step.data.empty()) {
    Bytes padded = step.data;
    padded.resize((padded.size() + 3) / 4 * 4, 0);
    pdu.insert(pdu.end(), padded.begin(), padded.end());
    if (context.digests.data) {
      std::array<std::uint8_t, 4> digest{};
      crc32c::store_digest(digest.data(), crc32c::compute(ByteView(padded)));
      pdu.insert(pdu.end(), digest.begin(), digest.end());
    }
  }
  return pdu;
}

namespace {

// What the target sent on the raw PDU's connection since it went out.
struct Reaction {
  runtime::ConnectionKey key;
  std::size_t first = 0;  // index into the initiator trace's PDUs
  std::uint32_t itt = 0;
  pdu::DigestOptions digests;
};

bool from_target_on(const PduRecord& record, const Reaction& reaction) {
  return record.direction == runtime::Direction::target_to_initiator &&
         record.connection == reaction.key && record.wire.size() >= kRawBhsBytes;
}

// A Reject, or a PDU that carries the raw PDU's ITT, has come back.
bool answered(World& world, const Reaction& reaction) {
  const std::vector<PduRecord>& pdus = world.initiator_trace().pdus();
  for (std::size_t i = reaction.first; i < pdus.size(); ++i) {
    if (!from_target_on(pdus[i], reaction)) continue;
    if ((pdus[i].wire[0] & 0x3f) == kRejectOpcode) return true;
    if (load_be32(pdus[i].wire.data() + 16) == reaction.itt) return true;
  }
  return false;
}

// One line per PDU the target sent (pdu::describe), and the Reason of the last Reject.
std::string describe_reaction(World& world, const Reaction& reaction,
                              std::optional<std::uint8_t>& reject) {
  std::string lines;
  const std::vector<PduRecord>& pdus = world.initiator_trace().pdus();
  for (std::size_t i = reaction.first; i < pdus.size(); ++i) {
    const PduRecord& record = pdus[i];
    if (!from_target_on(record, reaction)) continue;
    const std::uint8_t opcode = record.wire[0] & 0x3f;
    // RFC 7143 §11.17.1: the Reason is byte 2 of the Reject.
    if (opcode == kRejectOpcode) reject = record.wire[2];
    auto decoded = pdu::decode(record.wire, reaction.digests);
    lines += decoded.ok() ? pdu::describe(decoded->pdu)
                          : fmt::format("undecodable PDU, opcode 0x{:02x}", opcode);
    lines += "\n";
  }
  return lines;
}

}  // namespace

void run_raw_pdu(World& world, InitiatorNode* node, const RawPduStep& step, StepRun& run) {
  std::string error = node == nullptr ? "no initiator for the raw_pdu step" : "";
  std::shared_ptr<initiator::client::Session> held;
  if (error.empty()) held = pick_session(*node, step.target, error);
  initiator::client::Connection* connection =
      held == nullptr ? nullptr : held->current_connection();
  if (error.empty() && (connection == nullptr || connection->engine() == nullptr)) {
    error = "the session has no connection in full feature phase";
  }
  if (!error.empty()) {
    run.errors.push_back("raw_pdu: " + error);
    return;
  }
  const initiator::session::SessionEngine& engine = *connection->engine();
  const Bytes wire = build_raw_pdu(
      step, {engine.cmd_sn(), engine.exp_stat_sn(), connection->tx_digests()});
  const Reaction reaction{connection->key(), world.initiator_trace().pdus().size(),
                          load_be32(wire.data() + 16), connection->tx_digests()};
  connection->send_raw(wire);

  // The target answers (a Reject, a response with our ITT), closes the connection, or stays
  // silent: watched for kRawPduReactionLimit of virtual time.
  auto closed = [&held, &reaction] {
    return held->state() != initiator::client::Session::State::active ||
           !(held->key() == reaction.key) ||
           held->current_connection()->phase() !=
               initiator::client::Connection::Phase::full_feature;
  };
  const runtime::Duration limit = world.bound(StepBound::raw_pdu_reaction);
  (void)world.run_until([&] { return closed() || answered(world, reaction); }, limit);
  std::optional<std::uint8_t> reject;
  run.output.out = describe_reaction(world, reaction, reject);
  if (closed()) {
    run.output.out += "the connection was closed\n";
  } else if (!answered(world, reaction)) {
    run.output.out += fmt::format(
        "no answer within {}s\n",
        std::chrono::duration_cast<std::chrono::seconds>(limit).count());
  }
  run.reject_reason = reject;
}

}  // namespace iscsi::scenarios
