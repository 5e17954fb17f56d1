// libFuzzer harness for the target's full feature phase engine: fuzzer bytes are framed with
// pdu::Framer and fed to a SessionEngine whose fake Port completes commands through a queue
// drained between PDUs. Any crash, hang or broken invariant is a bug: StatSN advancing by
// exactly one per status PDU (C122), ExpCmdSN/MaxCmdSN never moving backwards (C120), Data-In
// within MaxRecvDataSegmentLength (C134), every output encodable.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>

#include "core/common/serial.hpp"
#include "core/pdu/codec.hpp"
#include "core/pdu/describe.hpp"
#include "core/pdu/framer.hpp"
#include "fuzz/target_session/input_format.hpp"
#include "target-impl/session/session_engine.hpp"

namespace iscsi::fuzz_target_session {
namespace {

using target::scsi::Command;
using target::scsi::CommandDone;
using target::scsi::CommandResult;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "target_session fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

// Completes commands later, from a queue the harness drains; shapes results from the tag so
// that short, long and CHECK CONDITION answers all occur.
class QueuePort : public target::scsi::Port {
 public:
  void execute(Command command, CommandDone done) override {
    pending.emplace_back(std::move(command), std::move(done));
  }
  void nexus_added(const target::scsi::Nexus&) override {}
  void nexus_removed(target::scsi::NexusId) override {}
  bool task_management(target::scsi::NexusId, target::scsi::TaskManagement,
                       pdu::Lun lun) override {
    return has_lun(lun);
  }
  bool has_lun(pdu::Lun lun) const override { return lun.to_number().value_or(99) < 3; }

  void drain() {
    // Bounded: completions never queue new commands.
    while (!pending.empty()) {
      auto [command, done] = std::move(pending.front());
      pending.pop_front();
      done(shape(command));
    }
  }

  std::deque<std::pair<Command, CommandDone>> pending;

 private:
  static CommandResult shape(const Command& command) {
    CommandResult result;
    constexpr std::uint32_t kMaxData = 256 * 1024;
    std::uint32_t length = std::min(command.expected_data_in_length, kMaxData);
    switch (command.tag & 3) {
      case 0:
        length /= 2;
        break;
      case 1:
        length = std::min(length + 512, kMaxData + 512);
        break;
      case 2:
        result.status = target::scsi::kStatusCheckCondition;
        result.sense = Bytes{0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24, 0, 0, 0, 0, 0};
        break;
      default:
        break;
    }
    result.data_in.assign(length, static_cast<std::uint8_t>(command.tag));
    result.data_out_wanted = command.expected_data_out_length + (command.tag & 0x10 ? 512 : 0);
    return result;
  }
};

class Checker {
 public:
  Checker(std::uint32_t stat_sn, std::uint32_t exp_cmd_sn, std::uint32_t mrdsl)
      : stat_sn_(stat_sn), exp_cmd_sn_(exp_cmd_sn), max_cmd_sn_(exp_cmd_sn - 1), mrdsl_(mrdsl) {}

  void allow_mrdsl(std::uint32_t mrdsl) { mrdsl_ = std::max(mrdsl_, mrdsl); }

  void check(const pdu::Pdu& pdu) {
    if (!pdu::check_encodable(pdu).ok()) fail("not encodable", pdu::describe(pdu));
    if (pdu.data.size() > mrdsl_) fail("data segment over MaxRecvDataSegmentLength", pdu::describe(pdu));
    const std::uint32_t exp = pdu::exp_cmd_sn(pdu.header).value_or(exp_cmd_sn_);
    const std::uint32_t max = pdu::max_cmd_sn(pdu.header).value_or(max_cmd_sn_);
    if (serial_lt(exp, exp_cmd_sn_) || serial_lt(max, max_cmd_sn_)) {
      fail("ExpCmdSN or MaxCmdSN moved backwards", pdu::describe(pdu));
    }
    exp_cmd_sn_ = exp;
    max_cmd_sn_ = max;
    const std::optional<std::uint32_t> stat_sn = pdu::stat_sn(pdu.header);
    if (!stat_sn || !carries_status(pdu)) return;
    if (*stat_sn != stat_sn_) fail("StatSN out of sequence", pdu::describe(pdu));
    ++stat_sn_;
  }

 private:
  static bool carries_status(const pdu::Pdu& pdu) {
    if (const auto* data_in = std::get_if<pdu::ScsiDataIn>(&pdu.header)) {
      return data_in->status_present;
    }
    if (const auto* nop_in = std::get_if<pdu::NopIn>(&pdu.header)) {
      return nop_in->itt != pdu::kReservedTag;
    }
    return !std::holds_alternative<pdu::R2t>(pdu.header);
  }

  std::uint32_t stat_sn_;
  std::uint32_t exp_cmd_sn_;
  std::uint32_t max_cmd_sn_;
  std::uint32_t mrdsl_;
};

target::session::SessionSetup make_setup(const Config& config, QueuePort& port) {
  target::session::SessionSetup setup;
  auto& session = setup.login.session;
  session.session_type =
      config.discovery ? negotiation::SessionType::discovery : negotiation::SessionType::normal;
  session.immediate_data = config.immediate_data;
  session.initial_r2t = config.initial_r2t;
  session.first_burst_length = config.first_burst_length;
  session.max_burst_length = config.max_burst_length;
  session.max_outstanding_r2t = config.max_outstanding_r2t;
  setup.login.connection.initiator_max_recv_data_segment_length = config.initiator_mrdsl;
  setup.login.connection.target_max_recv_data_segment_length = 8192;
  setup.login.initiator_name = "iqn.2026-11.org.example:fuzz";
  setup.login.target_name = "iqn.2026-11.org.example:disk";
  setup.login.exp_cmd_sn = 1;
  setup.login.stat_sn = 1;
  setup.port = config.discovery ? nullptr : &port;
  setup.nexus = 1;
  setup.command_window = 16;
  if (config.nop_pings) setup.nop = {std::chrono::seconds(1), std::chrono::seconds(2)};
  // Sixteen targets: about 1.1 KB, more than one Text Response at MaxRecvDataSegmentLength 512.
  setup.send_targets = [](std::string_view) {
    text::KeyValueList records;
    for (int i = 0; i < 16; ++i) {
      records.push_back({"TargetName", "iqn.2026-11.org.example:disk" + std::to_string(i)});
      records.push_back({"TargetAddress", "127.0.0.1:3260,1"});
    }
    return records;
  };
  return setup;
}

// TARGET_SESSION_FUZZ_TRACE=1 prints every output (to check what a seed exercises).
const bool kTrace = std::getenv("TARGET_SESSION_FUZZ_TRACE") != nullptr;

void trace(const target::session::Output& output) {
  if (const auto* send = std::get_if<target::session::SendPdu>(&output)) {
    std::fprintf(stderr, "  -> %s\n",
                 pdu::describe(target::session::with_data(send->pdu, send->data)).c_str());
  } else if (const auto* report = std::get_if<target::session::ReportViolation>(&output)) {
    std::fprintf(stderr, "  !! %s\n", report->violation.to_string().c_str());
  } else if (const auto* close = std::get_if<target::session::CloseConnection>(&output)) {
    std::fprintf(stderr, "  xx close (%s)\n", close->reason.c_str());
  }
}

void drain(target::session::SessionEngine& engine, QueuePort& port, Checker& checker) {
  port.drain();
  // Bounded: each call hands out at least one queued item and nothing new is queued meanwhile.
  for (int i = 0; i < 1 << 16 && engine.has_outputs(); ++i) {
    for (const target::session::Output& output : engine.take_outputs()) {
      if (kTrace) trace(output);
      if (const auto* send = std::get_if<target::session::SendPdu>(&output)) {
        checker.check(target::session::with_data(send->pdu, send->data));
      }
    }
  }
  checker.allow_mrdsl(engine.parameters().connection.initiator_max_recv_data_segment_length);
}

}  // namespace
}  // namespace iscsi::fuzz_target_session

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace iscsi;
  using namespace iscsi::fuzz_target_session;
  if (size < kConfigBytes) return 0;
  const Config config = parse_config(data);
  QueuePort port;
  target::session::SessionEngine engine(make_setup(config, port), runtime::TimePoint{});
  Checker checker(1, 1, config.initiator_mrdsl);
  pdu::Framer framer({.digests = {false, config.data_digest}, .max_data_segment_length = 8192});
  const ByteView stream(data + kConfigBytes, size - kConfigBytes);
  runtime::TimePoint now{};
  std::size_t offset = 0;
  while (offset < stream.size() && !framer.failed() && !engine.closed()) {
    const std::size_t chunk = config.chunk == 0 ? stream.size() : config.chunk;
    const std::size_t take = std::min(chunk, stream.size() - offset);
    framer.feed(stream.subspan(offset, take));
    offset += take;
    for (;;) {
      pdu::FrameEvent event = framer.next();
      if (std::holds_alternative<pdu::NeedMore>(event)) break;
      now += std::chrono::milliseconds(config.step_ms);
      if (const auto deadline = engine.next_deadline(); deadline && *deadline <= now) {
        engine.on_deadline(now);
        drain(engine, port, checker);
        if (engine.closed()) break;
      }
      if (auto* decoded = std::get_if<pdu::DecodedPdu>(&event)) {
        engine.on_pdu(now, std::move(decoded->pdu));
      } else {
        engine.on_frame_error(now, std::get<pdu::FrameError>(event));
      }
      drain(engine, port, checker);
      if (framer.failed() || engine.closed()) break;
    }
  }
  engine.on_deadline(now + std::chrono::seconds(10));
  drain(engine, port, checker);
  engine.on_transport_closed(now + std::chrono::seconds(11));
  drain(engine, port, checker);
  return 0;
}
