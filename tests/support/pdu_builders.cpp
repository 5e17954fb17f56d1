#include "tests/support/pdu_builders.hpp"

namespace iscsi::test {
namespace {

pdu::Lun lun_of(std::uint16_t number) { return pdu::Lun::from_number(number).value_or(pdu::Lun{}); }

std::array<std::uint8_t, pdu::kBhsCdbLength> rw10_cdb(std::uint8_t operation, const Rw10& io) {
  std::array<std::uint8_t, pdu::kBhsCdbLength> cdb{};
  cdb[0] = operation;
  store_be32(cdb.data() + 2, io.lba);
  store_be16(cdb.data() + 7, io.blocks);
  return cdb;
}

template <class H>
void set_target_sn(H& h, const TargetSn& sn) {
  h.itt = sn.itt;
  h.stat_sn = sn.stat_sn;
  h.exp_cmd_sn = sn.exp_cmd_sn;
  h.max_cmd_sn = sn.max_cmd_sn;
}

}  // namespace

Bytes key_text(std::initializer_list<std::pair<std::string_view, std::string_view>> pairs) {
  Bytes text;
  for (const auto& [key, value] : pairs) {
    text.insert(text.end(), key.begin(), key.end());
    text.push_back('=');
    text.insert(text.end(), value.begin(), value.end());
    text.push_back(0);
  }
  return text;
}

pdu::Pdu login_request(const LoginParams& login, const InitiatorSn& sn, Bytes text) {
  pdu::LoginRequest h;
  h.transit = login.transit;
  h.continue_ = login.continue_;
  h.csg = login.csg;
  h.nsg = login.nsg;
  h.isid = login.isid;
  h.tsih = login.tsih;
  h.cid = login.cid;
  h.itt = sn.itt;
  h.cmd_sn = sn.cmd_sn;
  h.exp_stat_sn = sn.exp_stat_sn;
  return {h, std::move(text), {}};
}

pdu::Pdu login_response(const LoginParams& login, const TargetSn& sn, pdu::LoginStatus status,
                        Bytes text) {
  pdu::LoginResponse h;
  h.transit = login.transit;
  h.continue_ = login.continue_;
  h.csg = login.csg;
  h.nsg = login.nsg;
  h.isid = login.isid;
  h.tsih = login.tsih;
  set_target_sn(h, sn);
  h.set_status(status);
  return {h, std::move(text), {}};
}

pdu::Pdu discovery_login_request(std::string_view initiator_name) {
  LoginParams login;
  login.csg = pdu::Stage::login_operational_negotiation;
  login.nsg = pdu::Stage::full_feature_phase;
  return login_request(login, {.itt = 0, .cmd_sn = 0, .exp_stat_sn = 0},
                       key_text({{"InitiatorName", initiator_name},
                                 {"SessionType", "Discovery"},
                                 {"AuthMethod", "None"}}));
}

pdu::Pdu scsi_read10(const InitiatorSn& sn, const Rw10& io) {
  pdu::ScsiCommand h;
  h.immediate = sn.immediate;
  h.read = true;
  h.lun = lun_of(io.lun);
  h.itt = sn.itt;
  h.cmd_sn = sn.cmd_sn;
  h.exp_stat_sn = sn.exp_stat_sn;
  h.expected_data_transfer_length = std::uint32_t{io.blocks} * io.block_size;
  h.cdb = rw10_cdb(0x28, io);
  return {h, {}, {}};
}

pdu::Pdu scsi_write10(const InitiatorSn& sn, const Rw10& io, Bytes immediate_data,
                      bool unsolicited_follows) {
  pdu::ScsiCommand h;
  h.immediate = sn.immediate;
  h.final = !unsolicited_follows;
  h.write = true;
  h.lun = lun_of(io.lun);
  h.itt = sn.itt;
  h.cmd_sn = sn.cmd_sn;
  h.exp_stat_sn = sn.exp_stat_sn;
  h.expected_data_transfer_length = std::uint32_t{io.blocks} * io.block_size;
  h.cdb = rw10_cdb(0x2a, io);
  return {h, std::move(immediate_data), {}};
}

pdu::Pdu scsi_command(const InitiatorSn& sn, std::uint16_t lun, ByteView cdb,
                      std::uint32_t expected_data_transfer_length, bool read, bool write) {
  pdu::ScsiCommand h;
  h.immediate = sn.immediate;
  h.read = read;
  h.write = write;
  h.lun = lun_of(lun);
  h.itt = sn.itt;
  h.cmd_sn = sn.cmd_sn;
  h.exp_stat_sn = sn.exp_stat_sn;
  h.expected_data_transfer_length = expected_data_transfer_length;
  pdu::Pdu result{h, {}, {}};
  pdu::set_cdb(result, cdb);
  return result;
}

pdu::Pdu data_out(const DataParams& data, std::uint32_t exp_stat_sn, Bytes payload) {
  pdu::ScsiDataOut h;
  h.final = data.final;
  h.lun = lun_of(data.lun);
  h.itt = data.itt;
  h.ttt = data.ttt;
  h.exp_stat_sn = exp_stat_sn;
  h.data_sn = data.data_sn;
  h.buffer_offset = data.buffer_offset;
  return {h, std::move(payload), {}};
}

pdu::Pdu data_in(const DataParams& data, const TargetSn& sn, Bytes payload,
                 std::optional<std::uint8_t> status) {
  pdu::ScsiDataIn h;
  h.final = data.final || status.has_value();
  h.status_present = status.has_value();
  h.status = status.value_or(0);
  h.lun = lun_of(data.lun);
  h.ttt = data.ttt;
  set_target_sn(h, sn);
  h.itt = data.itt;
  h.data_sn = data.data_sn;
  h.buffer_offset = data.buffer_offset;
  return {h, std::move(payload), {}};
}

pdu::Pdu r2t(const TargetSn& sn, std::uint32_t ttt, std::uint32_t r2t_sn,
             std::uint32_t buffer_offset, std::uint32_t desired_length) {
  pdu::R2t h;
  set_target_sn(h, sn);
  h.ttt = ttt;
  h.r2t_sn = r2t_sn;
  h.buffer_offset = buffer_offset;
  h.desired_data_transfer_length = desired_length;
  return {h, {}, {}};
}

pdu::Pdu scsi_response(const TargetSn& sn, std::uint8_t status, ByteView sense,
                       std::uint32_t residual_underflow) {
  pdu::ScsiResponse h;
  set_target_sn(h, sn);
  h.status = status;
  h.residual_underflow = residual_underflow != 0;
  h.residual_count = residual_underflow;
  Bytes data;
  if (!sense.empty()) {
    data.resize(2);
    store_be16(data.data(), static_cast<std::uint16_t>(sense.size()));
    data.insert(data.end(), sense.begin(), sense.end());
  }
  return {h, std::move(data), {}};
}

pdu::Pdu nop_out_ping(const InitiatorSn& sn, Bytes ping_data) {
  pdu::NopOut h;
  h.immediate = sn.immediate;
  h.itt = sn.itt;
  h.cmd_sn = sn.cmd_sn;
  h.exp_stat_sn = sn.exp_stat_sn;
  return {h, std::move(ping_data), {}};
}

pdu::Pdu nop_in_reply(const TargetSn& sn, Bytes ping_data) {
  pdu::NopIn h;
  set_target_sn(h, sn);
  return {h, std::move(ping_data), {}};
}

pdu::Pdu nop_in_ping(const TargetSn& sn, std::uint32_t ttt) {
  pdu::NopIn h;
  set_target_sn(h, sn);
  h.itt = pdu::kReservedTag;
  h.ttt = ttt;
  return {h, {}, {}};
}

pdu::Pdu text_request(const InitiatorSn& sn, Bytes text) {
  pdu::TextRequest h;
  h.immediate = sn.immediate;
  h.itt = sn.itt;
  h.cmd_sn = sn.cmd_sn;
  h.exp_stat_sn = sn.exp_stat_sn;
  return {h, std::move(text), {}};
}

pdu::Pdu text_response(const TargetSn& sn, Bytes text) {
  pdu::TextResponse h;
  set_target_sn(h, sn);
  return {h, std::move(text), {}};
}

pdu::Pdu logout_request(const InitiatorSn& sn, pdu::LogoutReason reason, std::uint16_t cid) {
  pdu::LogoutRequest h;
  h.immediate = sn.immediate;
  h.reason_code = reason;
  h.itt = sn.itt;
  h.cid = cid;
  h.cmd_sn = sn.cmd_sn;
  h.exp_stat_sn = sn.exp_stat_sn;
  return {h, {}, {}};
}

pdu::Pdu logout_response(const TargetSn& sn, pdu::LogoutResponseCode response) {
  pdu::LogoutResponse h;
  set_target_sn(h, sn);
  h.response = response;
  return {h, {}, {}};
}

pdu::Pdu tmf_request(const InitiatorSn& sn, pdu::TmfFunction function, std::uint16_t lun,
                     std::uint32_t referenced_task_tag, std::uint32_t ref_cmd_sn) {
  pdu::TaskMgmtRequest h;
  h.immediate = sn.immediate;
  h.function = function;
  h.lun = lun_of(lun);
  h.itt = sn.itt;
  h.cmd_sn = sn.cmd_sn;
  h.exp_stat_sn = sn.exp_stat_sn;
  h.referenced_task_tag = referenced_task_tag;
  h.ref_cmd_sn = ref_cmd_sn;
  return {h, {}, {}};
}

pdu::Pdu tmf_response(const TargetSn& sn, pdu::TmfResponse response) {
  pdu::TaskMgmtResponse h;
  set_target_sn(h, sn);
  h.response = response;
  return {h, {}, {}};
}

pdu::Pdu snack_request(pdu::SnackType type, std::uint32_t itt, std::uint32_t beg_run,
                       std::uint32_t run_length) {
  pdu::SnackRequest h;
  h.type = type;
  h.itt = itt;
  h.beg_run = beg_run;
  h.run_length = run_length;
  return {h, {}, {}};
}

pdu::Pdu async_message(const TargetSn& sn, pdu::AsyncEvent event, std::uint16_t parameter3) {
  pdu::AsyncMessage h;
  set_target_sn(h, sn);
  h.itt = pdu::kReservedTag;
  h.async_event = event;
  h.parameter3 = parameter3;
  return {h, {}, {}};
}

pdu::Pdu reject(const TargetSn& sn, pdu::RejectReason reason, ByteView rejected_bhs) {
  pdu::Reject h;
  set_target_sn(h, sn);
  h.itt = pdu::kReservedTag;
  h.reason = reason;
  return {h, Bytes(rejected_bhs.begin(), rejected_bhs.end()), {}};
}

Bytes wire(const pdu::Pdu& pdu, const pdu::DigestOptions& digests) {
  return pdu::encode(pdu, digests);
}

Bytes wire_stream(const std::vector<pdu::Pdu>& pdus, const pdu::DigestOptions& digests) {
  Bytes out;
  for (const pdu::Pdu& pdu : pdus) pdu::encode_to(pdu, digests, out);
  return out;
}

Bytes pattern_bytes(std::size_t count, std::uint8_t seed) {
  Bytes out(count);
  for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<std::uint8_t>((i * 7 + seed) % 251);
  return out;
}

std::vector<pdu::Pdu> mixed_pdus() {
  const TargetSn target{.itt = 0x21, .stat_sn = 100, .exp_cmd_sn = 11, .max_cmd_sn = 42};
  std::vector<pdu::Pdu> pdus;
  pdus.push_back(discovery_login_request("iqn.2024-01.org.example:host1"));
  pdus.push_back(login_response({.csg = pdu::Stage::login_operational_negotiation,
                                 .nsg = pdu::Stage::full_feature_phase,
                                 .tsih = 7},
                                {.itt = 0, .stat_sn = 99}, pdu::LoginStatus::success,
                                key_text({{"HeaderDigest", "None"}})));
  pdus.push_back(nop_out_ping({.itt = 0x20, .cmd_sn = 10, .exp_stat_sn = 100},
                              pattern_bytes(5, 1)));  // 3 pad bytes
  pdus.push_back(nop_in_reply({.itt = 0x20, .stat_sn = 100}, pattern_bytes(5, 1)));
  pdus.push_back(scsi_read10({.itt = 0x21, .cmd_sn = 11, .exp_stat_sn = 101},
                             {.lun = 1, .lba = 64, .blocks = 8}));
  pdus.push_back(data_in({.itt = 0x21, .lun = 1, .final = false}, target, pattern_bytes(2048, 2)));
  pdus.push_back(data_in({.itt = 0x21, .data_sn = 1, .buffer_offset = 2048, .lun = 1}, target,
                         pattern_bytes(2046, 3), 0x00));  // 2 pad bytes, status in Data-In
  pdus.push_back(scsi_write10({.itt = 0x22, .cmd_sn = 12, .exp_stat_sn = 102},
                              {.lun = 1, .blocks = 2}, pattern_bytes(511, 4)));  // 1 pad byte
  pdus.push_back(r2t({.itt = 0x22, .stat_sn = 102}, 0x7700, 0, 511, 513));
  pdus.push_back(data_out({.itt = 0x22, .ttt = 0x7700, .buffer_offset = 511, .lun = 1}, 102,
                          pattern_bytes(513, 5)));  // 3 pad bytes
  const Bytes sense = {0x70, 0, 0x05, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x24, 0, 0, 0, 0, 0};
  pdus.push_back(scsi_response({.itt = 0x22, .stat_sn = 102}, 0x02, sense));
  Bytes cdb32 = pattern_bytes(32, 6);
  cdb32[0] = 0x7f;  // variable-length CDB (SPC-4 group 3)
  pdus.push_back(scsi_command({.itt = 0x23, .cmd_sn = 13}, 2, cdb32, 4096, true, false));
  pdu::Pdu bidi =
      scsi_command({.itt = 0x24, .cmd_sn = 14}, 2, pattern_bytes(16, 7), 512, true, true);
  bidi.ahs.push_back(pdu::BidiReadLengthAhs{1024});
  pdus.push_back(bidi);
  pdus.push_back(tmf_request({.itt = 0x25, .cmd_sn = 15, .immediate = true},
                             pdu::TmfFunction::abort_task, 2, 0x23, 13));
  pdus.push_back(tmf_response({.itt = 0x25, .stat_sn = 103}, pdu::TmfResponse::function_complete));
  pdus.push_back(text_request({.itt = 0x26, .cmd_sn = 15}, key_text({{"SendTargets", "All"}})));
  pdus.push_back(text_response({.itt = 0x26, .stat_sn = 104},
                               key_text({{"TargetName", "iqn.2024-01.org.example:disk"},
                                         {"TargetAddress", "127.0.0.1:3260,1"}})));
  pdus.push_back(snack_request(pdu::SnackType::status, 0x21, 100, 0));
  pdus.push_back(nop_in_ping({.stat_sn = 105}, 0x9900));
  pdus.push_back(async_message({.stat_sn = 105}, pdu::AsyncEvent::logout_request, 20));
  pdus.push_back(reject({.stat_sn = 105}, pdu::RejectReason::protocol_error,
                        ByteView(wire(bidi)).first(pdu::kBhsLength)));
  pdus.push_back(logout_request({.itt = 0x27, .cmd_sn = 16, .immediate = true},
                                pdu::LogoutReason::close_session));
  pdus.push_back(
      logout_response({.itt = 0x27, .stat_sn = 105}, pdu::LogoutResponseCode::closed_successfully));
  return pdus;
}

}  // namespace iscsi::test
