// Throughput of the capture writer: frame synthesis alone (checksums included), and the whole
// recorder writing pcap records to /dev/null, for MSS-sized segments and for large writes
// that the recorder splits (the real-socket runtime reports whole writes).
#include <benchmark/benchmark.h>

#include "pcap/pcap_recorder.hpp"
#include "pcap/tcp_synthesizer.hpp"
#include "tests/support/fake_runtime.hpp"
#include "tests/support/pdu_builders.hpp"

namespace {

using namespace iscsi;

constexpr runtime::ConnectionKey kKey{{0x0a000002, 40000}, {0x0a000001, 3260}};

std::int64_t count(std::size_t n) { return static_cast<std::int64_t>(n); }

class CountingSink final : public pcap::FrameSink {
 public:
  void on_frame(runtime::TimePoint, ByteView frame) override {
    benchmark::DoNotOptimize(frame.data());
    ++frames;
  }
  std::size_t frames = 0;
};

void BM_SynthesizeFrames(benchmark::State& state) {
  const Bytes payload = test::pattern_bytes(static_cast<std::size_t>(state.range(0)));
  CountingSink sink;
  pcap::TcpSynthesizer synthesizer(sink, {});
  synthesizer.on_connected(runtime::TimePoint{}, kKey);
  for (auto _ : state) {
    synthesizer.on_segment(runtime::TimePoint{}, kKey, runtime::Side::server, payload);
  }
  state.SetBytesProcessed(state.iterations() * count(payload.size()));
  state.counters["frames/s"] =
      benchmark::Counter(static_cast<double>(sink.frames), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SynthesizeFrames)->Arg(1448)->Arg(256 * 1024);

void BM_RecordToDevNull(benchmark::State& state) {
  const Bytes payload = test::pattern_bytes(static_cast<std::size_t>(state.range(0)));
  test::FakeClock clock;
  auto recorder = pcap::PcapRecorder::open_file("/dev/null", clock);
  if (!recorder.ok()) {
    state.SkipWithError("cannot open /dev/null");
    return;
  }
  (*recorder)->on_connected(runtime::TimePoint{}, kKey);
  const std::uint64_t frames_before = (*recorder)->frames_written();
  for (auto _ : state) {
    (*recorder)->on_segment(runtime::TimePoint{}, kKey, runtime::Side::server, payload);
  }
  state.SetBytesProcessed(state.iterations() * count(payload.size()));
  state.counters["frames/s"] = benchmark::Counter(
      static_cast<double>((*recorder)->frames_written() - frames_before),
      benchmark::Counter::kIsRate);
  if (!(*recorder)->finish().ok()) state.SkipWithError("writing failed");
}
BENCHMARK(BM_RecordToDevNull)->Arg(1448)->Arg(256 * 1024);

}  // namespace

BENCHMARK_MAIN();
