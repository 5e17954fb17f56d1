#pragma once
// The initiator's session engine wired to the reference target's session engine in-process:
// a real scsi::Port (make_port) over an in-memory store, completions fired through a FakeClock.
// Every PDU goes through the codec (encode, then decode) in both directions, so what the
// engines produce must also be encodable. The pump moves PDUs until both sides are quiet.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "initiator-impl/session/session_engine.hpp"
#include "target-impl/scsi/make_port.hpp"
#include "target-impl/session/session_engine.hpp"
#include "tests/support/fake_runtime.hpp"

namespace iscsi::initiator::session::test {

inline runtime::TimePoint at_ms(std::int64_t ms) {
  return runtime::TimePoint{std::chrono::milliseconds(ms)};
}

struct PeerOptions {
  bool discovery = false;
  bool immediate_data = true;
  bool initial_r2t = true;
  std::uint32_t first_burst_length = 65536;
  std::uint32_t max_burst_length = 262144;
  std::uint32_t max_outstanding_r2t = 1;
  std::uint32_t initiator_mrdsl = 8192;
  std::uint32_t target_mrdsl = 8192;
  std::uint32_t command_window = 16;  // the target's CmdSN window
  std::uint32_t first_cmd_sn = 1;
  std::uint32_t first_stat_sn = 100;
  std::uint64_t lun_blocks = 4096;  // LUN 1, 512-byte blocks
  std::size_t extra_targets = 0;    // more SendTargets records, for multi-PDU answers
  NopSettings initiator_nop;
  target::session::NopSettings target_nop;
};

class TargetPeer {
 public:
  explicit TargetPeer(const PeerOptions& options = {});

  // Moves PDUs both ways and fires due Port timers until nothing moves (bounded).
  void pump();
  // Advances both clocks to `ms`, runs both engines' deadlines, and pumps.
  void advance_to(std::int64_t ms);

  // Submits and pumps until the command completes; the test fails if it does not.
  CommandCompleted run(ScsiRequest request);
  // Sends TEST UNIT READY until the power-on unit attention is gone.
  void clear_unit_attention();

  template <class T>
  std::vector<T> outputs_of() const {
    std::vector<T> found;
    for (const Output& output : outputs) {
      if (const auto* value = std::get_if<T>(&output)) found.push_back(*value);
    }
    return found;
  }
  std::vector<std::string> initiator_violations() const;
  std::vector<std::string> target_violations() const;
  const CommandCompleted* completion(TaskId task) const;

  PeerOptions options;
  iscsi::test::FakeClock clock;
  std::shared_ptr<iscsi::test::MemoryBlockIo> store;
  std::unique_ptr<target::scsi::ConfigurablePort> port;
  std::unique_ptr<target::session::SessionEngine> target;
  std::unique_ptr<SessionEngine> initiator;
  std::vector<Output> outputs;  // everything the initiator produced but SendPdu
  std::vector<target::session::Output> target_outputs;  // the same on the target side
  std::vector<pdu::Pdu> to_target;     // every PDU the initiator sent, decoded again
  std::vector<pdu::Pdu> to_initiator;  // every PDU the target sent, decoded again
  bool target_closed = false;
  bool hold_port = false;  // pump() leaves Port completions pending
  bool initiator_closed = false;
};

// CDBs.
Bytes read10(std::uint32_t lba, std::uint16_t blocks);
Bytes write10(std::uint32_t lba, std::uint16_t blocks);
Bytes inquiry(std::uint16_t allocation_length);
Bytes read_capacity16(std::uint32_t allocation_length = 32);
Bytes report_luns(std::uint32_t allocation_length = 256);
Bytes test_unit_ready();

ScsiRequest read_request(std::uint32_t lba, std::uint16_t blocks);
ScsiRequest write_request(std::uint32_t lba, Bytes data);
pdu::Lun lun_number(std::uint16_t number);

}  // namespace iscsi::initiator::session::test
