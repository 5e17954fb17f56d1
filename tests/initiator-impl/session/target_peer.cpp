#include "tests/initiator-impl/session/target_peer.hpp"

#include <gtest/gtest.h>

#include "core/pdu/codec.hpp"

namespace iscsi::initiator::session::test {

namespace {

constexpr const char* kTargetName = "iqn.2026-11.org.example:disk";
constexpr const char* kInitiatorName = "iqn.2026-11.org.example:initiator";

target::login::LoginSucceeded make_login(const PeerOptions& options) {
  target::login::LoginSucceeded login;
  login.session.session_type =
      options.discovery ? negotiation::SessionType::discovery : negotiation::SessionType::normal;
  login.session.immediate_data = options.immediate_data;
  login.session.initial_r2t = options.initial_r2t;
  login.session.first_burst_length = options.first_burst_length;
  login.session.max_burst_length = options.max_burst_length;
  login.session.max_outstanding_r2t = options.max_outstanding_r2t;
  login.session.target_portal_group_tag = 1;
  login.session.initiator_name = kInitiatorName;
  login.connection.initiator_max_recv_data_segment_length = options.initiator_mrdsl;
  login.connection.target_max_recv_data_segment_length = options.target_mrdsl;
  login.isid = pdu::Isid::make(pdu::IsidType::random, 0, 0x3d2f, 0x01, 0x0001);
  login.tsih = 7;
  login.initiator_name = kInitiatorName;
  if (!options.discovery) {
    login.tid = 1;
    login.target_name = kTargetName;
    login.session.target_name = kTargetName;
  }
  login.exp_cmd_sn = options.first_cmd_sn;
  login.stat_sn = options.first_stat_sn;
  login.max_cmd_sn = options.first_cmd_sn + options.command_window - 1;
  return login;
}

// Encodes and decodes again: the other side sees exactly what the wire would carry.
pdu::Pdu through_wire(const pdu::Pdu& pdu) {
  auto decoded = pdu::decode(pdu::encode(pdu));
  if (!decoded) {
    ADD_FAILURE() << "PDU does not survive the codec: " << decoded.error().to_string();
    return pdu;
  }
  return std::move(decoded->pdu);
}

}  // namespace

TargetPeer::TargetPeer(const PeerOptions& peer_options) : options(peer_options) {
  const target::login::LoginSucceeded login = make_login(options);
  target::session::SessionSetup target_setup;
  target_setup.login = login;
  if (!options.discovery) {
    store = std::make_shared<iscsi::test::MemoryBlockIo>(options.lun_blocks * 512);
    target::scsi::PortSetup port_setup;
    port_setup.target_name = kTargetName;
    port_setup.tid = 1;
    port_setup.timers = &clock;
    target::scsi::LunSetup lun;
    lun.lun = 1;
    lun.store = store;
    lun.size_bytes = options.lun_blocks * 512;
    port_setup.luns.push_back(lun);
    port = target::scsi::make_port(std::move(port_setup));
    target_setup.port = port.get();
  }
  target_setup.nexus = 1;
  target_setup.nop = options.target_nop;
  target_setup.command_window = options.command_window;
  target_setup.login_max_cmd_sn = login.max_cmd_sn;
  target_setup.send_targets = [extra = options.extra_targets](std::string_view value) {
    text::KeyValueList records;
    if (value == "All" || value.empty()) {
      records.push_back({"TargetName", kTargetName});
      records.push_back({"TargetAddress", "127.0.0.1:3260,1"});
      for (std::size_t i = 0; i < extra; ++i) {
        records.push_back({"TargetName", std::string(kTargetName) + ".extra" + std::to_string(i)});
        records.push_back({"TargetAddress", "127.0.0.1:3260,1"});
      }
    }
    return records;
  };
  target = std::make_unique<target::session::SessionEngine>(std::move(target_setup), at_ms(0));

  SessionSetup setup;
  setup.session = login.session;
  setup.connection = login.connection;
  setup.isid = login.isid;
  setup.tsih = login.tsih;
  setup.cmd_sn = login.exp_cmd_sn;
  setup.exp_stat_sn = login.stat_sn;
  setup.exp_cmd_sn = login.exp_cmd_sn;
  setup.max_cmd_sn = login.max_cmd_sn;
  setup.nop = options.initiator_nop;
  initiator = std::make_unique<SessionEngine>(std::move(setup), at_ms(0));
  pump();
}

void TargetPeer::pump() {
  // Bounded: a test moves at most a few hundred thousand PDUs.
  for (int round = 0; round < 1000000; ++round) {
    bool moved = false;
    for (Output& output : initiator->take_outputs()) {
      moved = true;
      if (auto* send = std::get_if<SendPdu>(&output)) {
        pdu::Pdu pdu = through_wire(send->pdu);
        to_target.push_back(pdu);
        if (!target_closed) target->on_pdu(clock.now(), std::move(pdu));
        continue;
      }
      if (std::holds_alternative<CloseConnection>(output)) initiator_closed = true;
      outputs.push_back(std::move(output));
    }
    while (target->has_outputs()) {
      for (target::session::Output& output : target->take_outputs()) {
        moved = true;
        if (auto* send = std::get_if<target::session::SendPdu>(&output)) {
          pdu::Pdu pdu = through_wire(target::session::with_data(send->pdu, send->data));
          to_initiator.push_back(pdu);
          if (!initiator_closed) initiator->on_pdu(clock.now(), std::move(pdu));
          continue;
        }
        if (std::holds_alternative<target::session::CloseConnection>(output)) {
          target_closed = true;
        }
        target_outputs.push_back(std::move(output));
      }
    }
    if (!hold_port && clock.pending_timers() > 0) {
      // Port completions are timers due now; a timer due later leaves the count unchanged.
      const std::size_t before = clock.pending_timers();
      clock.advance_to(clock.now());
      moved = moved || target->has_outputs() || clock.pending_timers() != before;
    }
    if (!moved && !target->has_outputs() && !initiator->has_outputs()) return;
  }
  ADD_FAILURE() << "pump did not settle";
}

void TargetPeer::advance_to(std::int64_t ms) {
  clock.advance_to(at_ms(ms));
  initiator->on_deadline(at_ms(ms));
  target->on_deadline(at_ms(ms));
  pump();
}

CommandCompleted TargetPeer::run(ScsiRequest request) {
  const TaskId id = initiator->submit(std::move(request));
  pump();
  if (const CommandCompleted* done = completion(id)) return *done;
  ADD_FAILURE() << "task " << id << " did not complete";
  return {};
}

void TargetPeer::clear_unit_attention() {
  for (int i = 0; i < 4; ++i) {
    ScsiRequest request;
    request.lun = lun_number(1);
    request.cdb = test_unit_ready();
    if (run(request).status == 0) return;
  }
  ADD_FAILURE() << "unit attention did not clear";
}

std::vector<std::string> TargetPeer::initiator_violations() const {
  std::vector<std::string> ids;
  for (const auto& report : outputs_of<ReportViolation>()) {
    ids.emplace_back(report.violation.id());
  }
  return ids;
}

std::vector<std::string> TargetPeer::target_violations() const {
  std::vector<std::string> ids;
  for (const auto& output : target_outputs) {
    if (const auto* report = std::get_if<target::session::ReportViolation>(&output)) {
      ids.emplace_back(report->violation.id());
    }
  }
  return ids;
}

const CommandCompleted* TargetPeer::completion(TaskId task) const {
  for (const Output& output : outputs) {
    if (const auto* done = std::get_if<CommandCompleted>(&output); done && done->task == task) {
      return done;
    }
  }
  return nullptr;
}

Bytes read10(std::uint32_t lba, std::uint16_t blocks) {
  Bytes cdb(10, 0);
  cdb[0] = 0x28;
  store_be32(cdb.data() + 2, lba);
  store_be16(cdb.data() + 7, blocks);
  return cdb;
}

Bytes write10(std::uint32_t lba, std::uint16_t blocks) {
  Bytes cdb = read10(lba, blocks);
  cdb[0] = 0x2a;
  return cdb;
}

Bytes inquiry(std::uint16_t allocation_length) {
  Bytes cdb(6, 0);
  cdb[0] = 0x12;
  store_be16(cdb.data() + 3, allocation_length);
  return cdb;
}

Bytes read_capacity16(std::uint32_t allocation_length) {
  Bytes cdb(16, 0);
  cdb[0] = 0x9e;
  cdb[1] = 0x10;  // SERVICE ACTION READ CAPACITY (16)
  store_be32(cdb.data() + 10, allocation_length);
  return cdb;
}

Bytes report_luns(std::uint32_t allocation_length) {
  Bytes cdb(12, 0);
  cdb[0] = 0xa0;
  store_be32(cdb.data() + 6, allocation_length);
  return cdb;
}

Bytes test_unit_ready() { return Bytes(6, 0); }

pdu::Lun lun_number(std::uint16_t number) { return *pdu::Lun::from_number(number); }

ScsiRequest read_request(std::uint32_t lba, std::uint16_t blocks) {
  ScsiRequest request;
  request.lun = lun_number(1);
  request.cdb = read10(lba, blocks);
  request.expected_data_in_length = std::uint32_t{blocks} * 512;
  return request;
}

ScsiRequest write_request(std::uint32_t lba, Bytes data) {
  ScsiRequest request;
  request.lun = lun_number(1);
  request.cdb = write10(lba, static_cast<std::uint16_t>(data.size() / 512));
  request.data_out = std::move(data);
  return request;
}

}  // namespace iscsi::initiator::session::test
