#pragma once
// Test harness for the session engine: a fake scsi::Port whose commands complete only when the
// test drains its queue, a LoginSucceeded with chosen parameters, and helpers that feed PDUs
// at literal times and sort the engine's outputs.
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "core/pdu/pdu.hpp"
#include "target-impl/scsi/port.hpp"
#include "target-impl/session/session_engine.hpp"
#include "tests/support/pdu_builders.hpp"

namespace iscsi::target::session::test {

using namespace std::chrono_literals;

class FakePort : public scsi::Port {
 public:
  struct Pending {
    scsi::Command command;
    scsi::CommandDone done;
  };

  void execute(scsi::Command command, scsi::CommandDone done) override;
  void nexus_added(const scsi::Nexus& nexus) override { added.push_back(nexus); }
  void nexus_removed(scsi::NexusId nexus) override { removed.push_back(nexus); }
  bool task_management(scsi::NexusId nexus, scsi::TaskManagement function,
                       pdu::Lun lun) override;
  bool has_lun(pdu::Lun lun) const override;

  // Completes the oldest command still pending; false when none is.
  bool complete_next(scsi::CommandResult result);

  std::deque<Pending> pending;
  std::vector<scsi::Command> executed;  // copies, in execution order
  std::vector<scsi::Nexus> added;
  std::vector<scsi::NexusId> removed;
  std::vector<std::tuple<scsi::NexusId, scsi::TaskManagement, pdu::Lun>> tmfs;
  std::vector<std::uint16_t> luns{0, 1, 2};
};

struct LoginOptions {
  std::uint32_t initiator_mrdsl = 8192;
  std::uint32_t target_mrdsl = 8192;
  bool immediate_data = true;
  bool initial_r2t = true;
  std::uint32_t first_burst_length = 65536;
  std::uint32_t max_burst_length = 262144;
  std::uint32_t max_outstanding_r2t = 1;
  std::uint32_t exp_cmd_sn = 1;
  std::uint32_t stat_sn = 1;
  bool discovery = false;
  SessionQuirks quirks{};  // the rfc profile's answers unless a test sets tgt's
};
login::LoginSucceeded make_login(const LoginOptions& options);

inline constexpr std::uint32_t kMiB = 1 << 20;

// Literal times: t(0) is the session start.
inline runtime::TimePoint t(std::int64_t ms) {
  return runtime::TimePoint{std::chrono::milliseconds(ms)};
}

class Harness {
 public:
  explicit Harness(const LoginOptions& options = {}, NopSettings nop = {});

  // Feeds one PDU at time `ms` and returns every output queued by it (all of it: repeated
  // take_outputs() calls while has_outputs()).
  std::vector<Output> send(const pdu::Pdu& pdu, std::int64_t ms = 0);
  std::vector<Output> drain();
  // Completes the oldest pending SCSI command and drains.
  std::vector<Output> complete(scsi::CommandResult result);

  FakePort port;
  std::unique_ptr<SessionEngine> engine;
  std::vector<Output> initial;  // what the engine queued when it was built
  int notified = 0;
};

// A SCSI command result for FakePort completions.
scsi::CommandResult result(std::uint8_t status, Bytes data_in = {}, Bytes sense = {},
                           std::uint32_t data_out_wanted = 0);

std::vector<pdu::Pdu> pdus_of(const std::vector<Output>& outputs);
std::vector<std::string> violation_ids(const std::vector<Output>& outputs);
bool has_violation(const std::vector<Output>& outputs, std::string_view id);
const CloseConnection* close_of(const std::vector<Output>& outputs);
std::vector<pdu::Pdu> of_opcode(const std::vector<Output>& outputs, pdu::Opcode opcode);

template <class H>
const H& header(const pdu::Pdu& pdu) {
  return std::get<H>(pdu.header);
}

}  // namespace iscsi::target::session::test
