#include "tests/target-impl/server/initiator_steps.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/chap/algorithm.hpp"
#include "core/text/binary_value.hpp"
#include "tests/support/pdu_builders.hpp"

namespace iscsi::target::server::testing {
namespace {

constexpr std::uint32_t kLoginItt = 0x77;

Bytes encode_pairs(const Pairs& pairs) {
  text::KeyValueList list;
  for (const auto& [key, value] : pairs) list.push_back({key, value});
  return text::encode_text(list);
}

// Sends one Login Request and reads its answer into `result`; false when the login is over
// (failure status, close, or the Final-Response).
bool login_step(RawInitiator& initiator, const LoginOptions& options, pdu::Stage csg,
                pdu::Stage nsg, bool transit, const Pairs& pairs, LoginResult& result) {
  test::LoginParams params{.csg = csg, .nsg = nsg, .transit = transit, .isid = options.isid};
  initiator.send(test::login_request(
      params, {.itt = kLoginItt, .cmd_sn = result.session.cmd_sn,
               .exp_stat_sn = result.session.exp_stat_sn},
      encode_pairs(pairs)));
  auto answer = initiator.receive();
  const auto* response = answer ? std::get_if<pdu::LoginResponse>(&answer->header) : nullptr;
  if (response == nullptr) return false;
  result.status = static_cast<std::uint16_t>(response->status());
  auto keys = text::parse_text(answer->data);
  result.keys = keys.ok() ? keys.value() : text::KeyValueList{};
  result.session.exp_stat_sn = response->stat_sn + 1;
  result.session.tsih = response->tsih;
  if (result.status != 0) return false;
  if (response->transit && response->nsg == pdu::Stage::full_feature_phase) {
    result.full_feature = true;
    result.session.cmd_sn = response->exp_cmd_sn;
    return false;
  }
  return true;
}

Pairs identity(const LoginOptions& options, std::string_view auth_method) {
  Pairs pairs{{"InitiatorName", options.initiator_name}};
  if (options.target_name.empty()) {
    pairs.emplace_back("SessionType", "Discovery");
  } else {
    pairs.emplace_back("TargetName", options.target_name);
    pairs.emplace_back("SessionType", "Normal");
  }
  pairs.emplace_back("AuthMethod", std::string(auth_method));
  return pairs;
}

// CHAP_R for the target's CHAP_I and CHAP_C (RFC 7143 §12.1.3), MD5.
std::string chap_response(const LoginResult& result, const std::string& secret) {
  const std::string id_text = value_or_empty(result.keys, "CHAP_I");
  auto challenge = text::decode_binary_value(value_or_empty(result.keys, "CHAP_C"));
  const auto hash = chap::find_hash(chap::kStandardAlgorithms, 5);
  if (id_text.empty() || !challenge.ok() || !hash) return "0x00";
  auto response = chap::compute_response(*hash, static_cast<std::uint8_t>(std::stoul(id_text)),
                                         secret, challenge.value());
  if (!response.ok()) return "0x00";
  return text::encode_binary_value(response.value(), text::BinaryEncoding::hex);
}

bool chap_exchange(RawInitiator& initiator, const LoginOptions& options, pdu::Stage next,
                   LoginResult& result) {
  const auto security = pdu::Stage::security_negotiation;
  if (!login_step(initiator, options, security, security, false, identity(options, "CHAP"),
                  result)) {
    return false;
  }
  if (!login_step(initiator, options, security, security, false, {{"CHAP_A", "5"}}, result)) {
    return false;
  }
  return login_step(initiator, options, security, next, true,
                    {{"CHAP_N", options.chap_user},
                     {"CHAP_R", chap_response(result, options.chap_secret)}},
                    result);
}

}  // namespace

std::string value_or_empty(const text::KeyValueList& keys, std::string_view key) {
  auto value = text::find_value(keys, key);
  return value ? std::string(*value) : std::string();
}

LoginResult login(RawInitiator& initiator, const LoginOptions& options) {
  LoginResult result;
  const bool operational_stage = !options.operational.empty();
  const auto after_security = operational_stage ? pdu::Stage::login_operational_negotiation
                                                : pdu::Stage::full_feature_phase;
  bool more = false;
  if (!options.chap_user.empty()) {
    more = chap_exchange(initiator, options, after_security, result);
  } else {
    more = login_step(initiator, options, pdu::Stage::security_negotiation, after_security, true,
                      identity(options, "None"), result);
  }
  if (more && operational_stage) {
    more = login_step(initiator, options, pdu::Stage::login_operational_negotiation,
                      pdu::Stage::full_feature_phase, true, options.operational, result);
  }
  // A target may answer the last request without T=1 (RFC 7143 §6.2): offer nothing more.
  for (int round = 0; more && round < 4; ++round) {
    more = login_step(initiator, options, pdu::Stage::login_operational_negotiation,
                      pdu::Stage::full_feature_phase, true, {}, result);
  }
  return result;
}

text::KeyValueList send_targets(RawInitiator& initiator, SessionState& session,
                                std::string_view value) {
  const std::uint32_t itt = session.next_itt++;
  initiator.send(test::text_request(
      {.itt = itt, .cmd_sn = session.cmd_sn, .exp_stat_sn = session.exp_stat_sn},
      test::key_text({{"SendTargets", value}})));
  ++session.cmd_sn;
  auto answer = initiator.receive();
  const auto* response = answer ? std::get_if<pdu::TextResponse>(&answer->header) : nullptr;
  if (response == nullptr || response->itt != itt) return {};
  session.exp_stat_sn = response->stat_sn + 1;
  auto keys = text::parse_text(answer->data);
  return keys.ok() ? keys.value() : text::KeyValueList{};
}

namespace {

// Answers one R2T with Data-Out PDUs of at most `segment` bytes.
void answer_r2t(RawInitiator& initiator, const SessionState& session, std::uint16_t lun,
                const pdu::R2t& r2t, ByteView write_data, std::uint32_t segment) {
  std::uint32_t offset = r2t.buffer_offset;
  const std::uint32_t end =
      std::min<std::uint32_t>(r2t.buffer_offset + r2t.desired_data_transfer_length,
                              static_cast<std::uint32_t>(write_data.size()));
  for (std::uint32_t data_sn = 0; offset < end; ++data_sn) {
    const std::uint32_t length = std::min(segment, end - offset);
    initiator.send(test::data_out({.itt = r2t.itt, .ttt = r2t.ttt, .data_sn = data_sn,
                                   .buffer_offset = offset, .lun = lun,
                                   .final = offset + length == end},
                                  session.exp_stat_sn,
                                  Bytes(write_data.begin() + offset,
                                        write_data.begin() + offset + length)));
    offset += length;
  }
}

// Takes one target PDU for the command `itt`; false when the command is over.
bool handle_answer(RawInitiator& initiator, SessionState& session, std::uint16_t lun,
                   std::uint32_t itt, ByteView write_data, std::uint32_t segment,
                   CommandResult& result) {
  auto answer = initiator.receive();
  if (!answer) {
    result.problems.push_back("no answer: the connection ended");
    return false;
  }
  if (const auto* data_in = std::get_if<pdu::ScsiDataIn>(&answer->header)) {
    if (result.data_in.size() < data_in->buffer_offset + answer->data.size()) {
      result.data_in.resize(data_in->buffer_offset + answer->data.size());
    }
    std::copy(answer->data.begin(), answer->data.end(),
              result.data_in.begin() + data_in->buffer_offset);
    if (!data_in->status_present) return true;
    session.exp_stat_sn = data_in->stat_sn + 1;
    result.completed = true;
    result.status = data_in->status;
    return false;
  }
  if (const auto* response = std::get_if<pdu::ScsiResponse>(&answer->header)) {
    session.exp_stat_sn = response->stat_sn + 1;
    result.completed = true;
    result.status = response->status;
    // RFC 7143 §11.4.7: SenseLength (2 bytes) then the sense data.
    if (answer->data.size() > 2) result.sense.assign(answer->data.begin() + 2, answer->data.end());
    return false;
  }
  if (const auto* r2t = std::get_if<pdu::R2t>(&answer->header); r2t && r2t->itt == itt) {
    answer_r2t(initiator, session, lun, *r2t, write_data, segment);
    return true;
  }
  result.problems.push_back(
      fmt::format("unexpected opcode 0x{:02x}", static_cast<unsigned>(pdu::opcode(*answer))));
  return false;
}

}  // namespace

CommandResult scsi(RawInitiator& initiator, SessionState& session, std::uint16_t lun,
                   ByteView cdb, std::uint32_t expected_length, bool read, ByteView write_data,
                   std::uint32_t immediate_limit, std::uint32_t segment) {
  const std::uint32_t itt = session.next_itt++;
  const bool write = !write_data.empty();
  pdu::Pdu command = test::scsi_command(
      {.itt = itt, .cmd_sn = session.cmd_sn, .exp_stat_sn = session.exp_stat_sn}, lun, cdb,
      write ? static_cast<std::uint32_t>(write_data.size()) : expected_length, read, write);
  ++session.cmd_sn;
  if (write) {
    const std::size_t immediate = std::min<std::size_t>(write_data.size(), immediate_limit);
    command.data.assign(write_data.begin(), write_data.begin() + static_cast<std::ptrdiff_t>(immediate));
  }
  initiator.send(command);
  CommandResult result;
  for (int guard = 0; guard < 100000; ++guard) {
    if (!handle_answer(initiator, session, lun, itt, write_data, segment, result)) break;
  }
  return result;
}

CommandResult test_unit_ready(RawInitiator& initiator, SessionState& session, std::uint16_t lun) {
  const std::uint8_t cdb[6] = {0x00, 0, 0, 0, 0, 0};
  return scsi(initiator, session, lun, cdb, 0, false, {});
}

CommandResult read10(RawInitiator& initiator, SessionState& session, std::uint16_t lun,
                     std::uint32_t lba, std::uint16_t blocks) {
  std::uint8_t cdb[10] = {0x28, 0};
  store_be32(cdb + 2, lba);
  store_be16(cdb + 7, blocks);
  return scsi(initiator, session, lun, cdb, std::uint32_t{blocks} * 512, true, {});
}

CommandResult write10(RawInitiator& initiator, SessionState& session, std::uint16_t lun,
                      std::uint32_t lba, ByteView data) {
  std::uint8_t cdb[10] = {0x2a, 0};
  store_be32(cdb + 2, lba);
  store_be16(cdb + 7, static_cast<std::uint16_t>(data.size() / 512));
  return scsi(initiator, session, lun, cdb, 0, false, data);
}

}  // namespace iscsi::target::server::testing
