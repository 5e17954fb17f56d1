// libFuzzer harness for the initiator's full feature phase engine: fuzzer bytes are a target's
// byte stream, framed with pdu::Framer and fed to a SessionEngine with commands, a write and a
// Text exchange in flight. Any crash, hang or broken invariant is a bug: every PDU it sends is
// encodable, no non-immediate request leaves beyond MaxCmdSN (C124), Data-Out segments fit the
// target's MaxRecvDataSegmentLength, nothing is sent after the engine closed, and every request
// completes exactly once (at the latest when the transport closes).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "core/common/serial.hpp"
#include "core/pdu/codec.hpp"
#include "core/pdu/framer.hpp"
#include "fuzz/initiator_session/input_format.hpp"
#include "initiator-impl/session/session_engine.hpp"

namespace iscsi::fuzz_initiator_session {
namespace {

using initiator::session::Output;
using initiator::session::SessionEngine;
using initiator::session::TaskId;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "initiator_session fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

std::unique_ptr<SessionEngine> make_engine(const Config& config) {
  initiator::session::SessionSetup setup;
  setup.session.immediate_data = config.immediate_data;
  setup.session.initial_r2t = config.initial_r2t;
  setup.session.data_pdu_in_order = config.data_pdu_in_order;
  setup.session.data_sequence_in_order = config.data_sequence_in_order;
  setup.session.max_burst_length = config.max_burst_length;
  setup.session.first_burst_length = config.max_burst_length / 2;
  setup.session.max_outstanding_r2t = 2;
  setup.connection.target_max_recv_data_segment_length = config.target_mrdsl;
  setup.cmd_sn = 1;
  setup.exp_stat_sn = 1;
  setup.exp_cmd_sn = 1;
  setup.max_cmd_sn = 3;
  if (config.nop_pings) {
    setup.nop.interval = std::chrono::seconds(1);
    setup.nop.timeout = std::chrono::seconds(2);
  }
  setup.limits.max_text_bytes = 65536;
  return std::make_unique<SessionEngine>(std::move(setup), runtime::TimePoint{});
}

class Checker {
 public:
  Checker(SessionEngine& engine, const Config& config) : engine_(engine), config_(config) {}

  void expect(TaskId task) { open_[task] = 0; }

  void drain() {
    for (Output& output : engine_.take_outputs()) check(output);
    if (engine_.closed()) closed_ = true;
  }

  void finish() {
    for (const auto& [task, completions] : open_) {
      if (completions != 1) fail("request not completed exactly once", std::to_string(task));
    }
  }

 private:
  void check(const Output& output) {
    if (const auto* send = std::get_if<initiator::session::SendPdu>(&output)) {
      return check_pdu(send->pdu);
    }
    if (const auto* done = std::get_if<initiator::session::CommandCompleted>(&output)) {
      return complete(done->task);
    }
    if (const auto* done = std::get_if<initiator::session::TextCompleted>(&output)) {
      return complete(done->task);
    }
  }

  void check_pdu(const pdu::Pdu& pdu) {
    if (closed_) fail("PDU after close", std::to_string(pdu::itt(pdu)));
    if (auto encodable = pdu::check_encodable(pdu); !encodable) {
      fail("unencodable PDU", encodable.error().to_string());
    }
    const auto cmd_sn = pdu::cmd_sn(pdu.header);
    if (cmd_sn && !pdu::immediate(pdu.header) && !serial_le(*cmd_sn, engine_.max_cmd_sn())) {
      fail("CmdSN beyond MaxCmdSN", std::to_string(*cmd_sn));
    }
    if (pdu::opcode(pdu) == pdu::Opcode::scsi_data_out && pdu.data.size() > config_.target_mrdsl) {
      fail("Data-Out above the target's MaxRecvDataSegmentLength", std::to_string(pdu.data.size()));
    }
  }

  void complete(TaskId task) {
    auto found = open_.find(task);
    if (found == open_.end()) fail("completion of an unknown task", std::to_string(task));
    ++found->second;
  }

  SessionEngine& engine_;
  Config config_;
  std::map<TaskId, int> open_;
  bool closed_ = false;
};

initiator::session::ScsiRequest rw10(std::uint8_t opcode, std::uint16_t blocks) {
  initiator::session::ScsiRequest request;
  request.lun = *pdu::Lun::from_number(1);
  request.cdb = Bytes{opcode, 0, 0, 0, 0, 0, 0, 0, static_cast<std::uint8_t>(blocks), 0};
  return request;
}

}  // namespace
}  // namespace iscsi::fuzz_initiator_session

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace iscsi;
  using namespace iscsi::fuzz_initiator_session;
  if (size < kConfigBytes) return 0;
  const Config config = parse_config(data);
  auto engine = make_engine(config);
  Checker checker(*engine, config);
  auto read = rw10(0x28, 8);
  read.expected_data_in_length = 4096;
  checker.expect(engine->submit(read));
  auto write = rw10(0x2a, 16);
  write.data_out.assign(8192, 0x5a);
  checker.expect(engine->submit(write));
  checker.expect(engine->submit(rw10(0x00, 0)));
  checker.expect(engine->send_text({{"SendTargets", ""}}));
  checker.drain();

  pdu::Framer framer(pdu::FramerOptions{{}, 65536});
  const ByteView stream(data + kConfigBytes, size - kConfigBytes);
  const std::size_t chunk = config.chunk == 0 ? stream.size() : config.chunk;
  runtime::TimePoint now{};
  for (std::size_t offset = 0; offset < stream.size() && !engine->closed(); offset += chunk) {
    framer.feed(stream.subspan(offset, std::min(chunk, stream.size() - offset)));
    for (;;) {
      pdu::FrameEvent event = framer.next();
      if (std::holds_alternative<pdu::NeedMore>(event)) break;
      now += std::chrono::milliseconds(100);
      if (auto* decoded = std::get_if<pdu::DecodedPdu>(&event)) {
        engine->on_pdu(now, std::move(decoded->pdu));
      } else {
        engine->on_frame_error(now, std::get<pdu::FrameError>(event));
      }
      engine->on_deadline(now);
      checker.drain();
      if (framer.failed() || engine->closed()) break;
    }
    if (framer.failed()) break;
  }
  engine->on_transport_closed(now);
  checker.drain();
  checker.finish();
  return 0;
}
