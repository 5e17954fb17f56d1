#include "tests/target-impl/session/session_fixture.hpp"

#include <algorithm>

namespace iscsi::target::session::test {

void FakePort::execute(scsi::Command command, scsi::CommandDone done) {
  executed.push_back(command);
  pending.push_back(Pending{std::move(command), std::move(done)});
}

bool FakePort::task_management(scsi::NexusId nexus, scsi::TaskManagement function,
                               pdu::Lun lun) {
  tmfs.emplace_back(nexus, function, lun);
  return has_lun(lun);
}

bool FakePort::has_lun(pdu::Lun lun) const {
  const std::optional<std::uint16_t> number = lun.to_number();
  return number && std::find(luns.begin(), luns.end(), *number) != luns.end();
}

bool FakePort::complete_next(scsi::CommandResult result) {
  if (pending.empty()) return false;
  Pending next = std::move(pending.front());
  pending.pop_front();
  next.done(std::move(result));
  return true;
}

login::LoginSucceeded make_login(const LoginOptions& options) {
  login::LoginSucceeded login;
  login.session.session_type = options.discovery ? negotiation::SessionType::discovery
                                                 : negotiation::SessionType::normal;
  login.session.immediate_data = options.immediate_data;
  login.session.initial_r2t = options.initial_r2t;
  login.session.first_burst_length = options.first_burst_length;
  login.session.max_burst_length = options.max_burst_length;
  login.session.max_outstanding_r2t = options.max_outstanding_r2t;
  login.session.target_portal_group_tag = 1;
  login.connection.initiator_max_recv_data_segment_length = options.initiator_mrdsl;
  login.connection.target_max_recv_data_segment_length = options.target_mrdsl;
  login.isid = pdu::Isid::make(pdu::IsidType::random, 0, 0x3d2f, 0x01, 0x0001);
  login.tsih = 7;
  login.cid = 0;
  login.initiator_name = "iqn.2026-11.org.example:initiator";
  if (!options.discovery) {
    login.tid = 1;
    login.target_name = "iqn.2026-11.org.example:disk";
  }
  login.exp_cmd_sn = options.exp_cmd_sn;
  login.stat_sn = options.stat_sn;
  return login;
}

Harness::Harness(const LoginOptions& options, NopSettings nop) {
  SessionSetup setup;
  setup.login = make_login(options);
  setup.port = options.discovery ? nullptr : &port;
  setup.nexus = 42;
  setup.nop = nop;
  setup.quirks = options.quirks;
  setup.command_window = 16;
  setup.send_targets = [](std::string_view value) {
    text::KeyValueList records;
    if (value == "All" || value.empty()) {
      records.push_back({"TargetName", "iqn.2026-11.org.example:disk"});
      records.push_back({"TargetAddress", "127.0.0.1:3260,1"});
    }
    return records;
  };
  engine = std::make_unique<SessionEngine>(std::move(setup), t(0));
  engine->set_notify([this] { ++notified; });
  initial = drain();
}

std::vector<Output> Harness::drain() {
  std::vector<Output> all;
  // Bounded: each call hands out at least one queued item.
  for (int i = 0; i < 100000 && engine->has_outputs(); ++i) {
    for (Output& output : engine->take_outputs()) all.push_back(std::move(output));
  }
  return all;
}

std::vector<Output> Harness::send(const pdu::Pdu& pdu, std::int64_t ms) {
  engine->on_pdu(t(ms), pdu);
  return drain();
}

std::vector<Output> Harness::complete(scsi::CommandResult result) {
  port.complete_next(std::move(result));
  return drain();
}

scsi::CommandResult result(std::uint8_t status, Bytes data_in, Bytes sense,
                           std::uint32_t data_out_wanted) {
  scsi::CommandResult value;
  value.status = status;
  value.data_in = std::move(data_in);
  value.sense = std::move(sense);
  value.data_out_wanted = data_out_wanted;
  return value;
}

std::vector<pdu::Pdu> pdus_of(const std::vector<Output>& outputs) {
  std::vector<pdu::Pdu> pdus;
  for (const Output& output : outputs) {
    if (const auto* send = std::get_if<SendPdu>(&output)) {
      pdus.push_back(with_data(send->pdu, send->data));
    }
  }
  return pdus;
}

std::vector<std::string> violation_ids(const std::vector<Output>& outputs) {
  std::vector<std::string> ids;
  for (const Output& output : outputs) {
    if (const auto* report = std::get_if<ReportViolation>(&output)) {
      ids.emplace_back(report->violation.id());
    }
  }
  return ids;
}

bool has_violation(const std::vector<Output>& outputs, std::string_view id) {
  const std::vector<std::string> ids = violation_ids(outputs);
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

const CloseConnection* close_of(const std::vector<Output>& outputs) {
  for (const Output& output : outputs) {
    if (const auto* close = std::get_if<CloseConnection>(&output)) return close;
  }
  return nullptr;
}

std::vector<pdu::Pdu> of_opcode(const std::vector<Output>& outputs, pdu::Opcode opcode) {
  std::vector<pdu::Pdu> pdus;
  for (pdu::Pdu& pdu : pdus_of(outputs)) {
    if (pdu::opcode(pdu) == opcode) pdus.push_back(std::move(pdu));
  }
  return pdus;
}

}  // namespace iscsi::target::session::test
