// One READ(16) per iteration through the initiator's sans-IO layers, with the target's answer
// made by hand: a single Data-In carrying the data and the status (phase collapse, RFC 7143
// §11.7.3), as tgtd and `iscsim target` answer a read that fits MaxRecvDataSegmentLength.
//   BM_EngineRead/N:   SessionEngine::submit, take_outputs (the SCSI Command), on_pdu (the
//                      Data-In), take_outputs (the completion).
//   BM_WireRead/N:     the same, plus encoding the command to bytes and decoding the Data-In
//                      from bytes with pdu::Framer and a BufferPool, as client::Connection does
//                      (at 64 KiB it includes one copy of the segment a socket read avoids).
// The socket path adds client::Session and Connection and asio on top: bench/initiator_perf
// measures all of it against libiscsi.
// The read buffer goes back to the next Data-In (as client::Session gives it back to its
// pool), so no iteration allocates a data buffer; what remains is the per-command cost.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <variant>

#include "core/pdu/codec.hpp"
#include "core/pdu/framer.hpp"
#include "initiator-impl/client/cdb_builders.hpp"
#include "initiator-impl/session/session_engine.hpp"

namespace iscsi::bench {
namespace {

namespace session = initiator::session;

constexpr std::uint32_t kMaxSegment = 262144;

session::SessionSetup normal_session() {
  session::SessionSetup setup;
  setup.session.session_type = negotiation::SessionType::normal;
  setup.session.max_burst_length = kMaxSegment;
  setup.session.first_burst_length = kMaxSegment;
  setup.connection.initiator_max_recv_data_segment_length = kMaxSegment;
  setup.connection.target_max_recv_data_segment_length = kMaxSegment;
  setup.cmd_sn = 1;
  setup.exp_stat_sn = 1;
  setup.exp_cmd_sn = 1;
  setup.max_cmd_sn = 64;
  return setup;
}

// The target's answer to the command `command`: its data and GOOD status in one Data-In.
pdu::Pdu data_in_answer(const pdu::ScsiCommand& command, std::uint32_t stat_sn, Bytes data) {
  pdu::ScsiDataIn header;
  header.final = true;
  header.status_present = true;
  header.lun = command.lun;
  header.itt = command.itt;
  header.stat_sn = stat_sn;
  header.exp_cmd_sn = command.cmd_sn + 1;
  header.max_cmd_sn = command.cmd_sn + 64;
  return pdu::Pdu{header, std::move(data), {}};
}

// The SCSI Command among the engine's outputs (the only SendPdu of a submit).
const pdu::ScsiCommand* sent_command(const std::vector<session::Output>& outputs) {
  for (const session::Output& output : outputs) {
    if (const auto* send = std::get_if<session::SendPdu>(&output)) {
      return std::get_if<pdu::ScsiCommand>(&send->pdu.header);
    }
  }
  return nullptr;
}

// Submits a READ(16) of `block` bytes to LUN 1; its outputs (the SCSI Command) go to `sent`.
// Null, with the benchmark stopped, when the engine sent no command.
const pdu::ScsiCommand* submit_read(benchmark::State& state, session::SessionEngine& engine,
                                    std::uint32_t block, std::vector<session::Output>& sent) {
  engine.submit(initiator::client::cdb::data_in_request(
      *pdu::Lun::from_number(1), initiator::client::cdb::read16(0, block / 512), block));
  sent = engine.take_outputs();
  const pdu::ScsiCommand* command = sent_command(sent);
  if (command == nullptr) state.SkipWithError("the engine sent no SCSI Command");
  return command;
}

// The completion's read buffer, handed back for the next answer; empty when none came.
Bytes completed_data(std::vector<session::Output>& outputs) {
  for (session::Output& output : outputs) {
    if (auto* done = std::get_if<session::CommandCompleted>(&output)) {
      return std::move(done->data_in);
    }
  }
  return {};
}

void BM_EngineRead(benchmark::State& state) {
  const auto block = static_cast<std::uint32_t>(state.range(0));
  session::SessionEngine engine(normal_session(), runtime::TimePoint{});
  Bytes buffer(block, 0x5a);
  std::vector<session::Output> sent;
  std::uint32_t stat_sn = 1;
  for (auto _ : state) {
    const pdu::ScsiCommand* command = submit_read(state, engine, block, sent);
    if (command == nullptr) break;
    engine.on_pdu(runtime::TimePoint{}, data_in_answer(*command, stat_sn++, std::move(buffer)));
    std::vector<session::Output> done = engine.take_outputs();
    buffer = completed_data(done);
    if (buffer.size() != block) {
      state.SkipWithError("the read did not complete with its data");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(block));
}
BENCHMARK(BM_EngineRead)->Arg(4096)->Arg(65536);

// The target's Data-In for a command, from `answer` (encoded once, digests off) with the
// command's ITT and sequence numbers patched in (RFC 7143 §11.7: ITT at byte 16, StatSN 24,
// ExpCmdSN 28, MaxCmdSN 32), as cheap as the peer's side can be made.
void patch_answer(Bytes& answer, const pdu::ScsiCommand& command, std::uint32_t stat_sn) {
  store_be32(answer.data() + 16, command.itt);
  store_be32(answer.data() + 24, stat_sn);
  store_be32(answer.data() + 28, command.cmd_sn + 1);
  store_be32(answer.data() + 32, command.cmd_sn + 64);
}

void BM_WireRead(benchmark::State& state) {
  const auto block = static_cast<std::uint32_t>(state.range(0));
  session::SessionEngine engine(normal_session(), runtime::TimePoint{});
  pdu::Framer framer({.digests = {}, .max_data_segment_length = kMaxSegment});
  auto pool = std::make_shared<BufferPool>();
  framer.set_buffer_pool(pool);
  std::vector<session::Output> sent;
  Bytes answer = pdu::encode(data_in_answer(pdu::ScsiCommand{}, 0, Bytes(block, 0x5a)));
  Bytes command_bytes;
  std::uint32_t stat_sn = 1;
  for (auto _ : state) {
    const pdu::ScsiCommand* command = submit_read(state, engine, block, sent);
    if (command == nullptr) break;
    command_bytes.clear();
    pdu::encode_to(std::get<session::SendPdu>(sent.front()).pdu, {}, command_bytes);
    benchmark::DoNotOptimize(command_bytes.data());
    patch_answer(answer, *command, stat_sn++);
    // Fed whole, the Data-In's segment is copied from `answer` into a pooled buffer (on a
    // socket it would be read there in place: this copy is the benchmark's, not the path's).
    framer.feed(answer);
    pdu::FrameEvent event = framer.next();
    auto* decoded = std::get_if<pdu::DecodedPdu>(&event);
    if (decoded == nullptr) {
      state.SkipWithError("the framer did not decode the Data-In");
      break;
    }
    engine.on_pdu(runtime::TimePoint{}, std::move(decoded->pdu));
    std::vector<session::Output> done = engine.take_outputs();
    Bytes returned = completed_data(done);
    if (returned.size() != block) {
      state.SkipWithError("the read did not complete with its data");
      break;
    }
    pool->give(std::move(returned));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(block));
}
BENCHMARK(BM_WireRead)->Arg(4096)->Arg(65536);

}  // namespace
}  // namespace iscsi::bench

BENCHMARK_MAIN();
