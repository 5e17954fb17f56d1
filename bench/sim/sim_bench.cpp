// Bulk transfer between two simulated hosts through the stream layer (issue 3, Determinism and
// speed): targets are >= 2 GB/s of simulated payload per wall second and >= 2 M events/s
// without pcap. The *WithPcap cases attach the capture writer (frames go to /dev/null), so the
// cost of recording a run shows side by side. Rates are per wall second (UseRealTime).
#include <benchmark/benchmark.h>

#include <memory>

#include "pcap/pcap_recorder.hpp"
#include "sim/fabric.hpp"

namespace {

using iscsi::Bytes;
using iscsi::ByteView;
using iscsi::runtime::CloseReason;
using iscsi::runtime::Stream;

constexpr std::uint16_t kPort = 3260;
constexpr std::size_t kWriteSize = 64 * 1024;

// Writes `total` bytes in 64 KiB writes, pausing whenever the send buffer is full.
class Sender final : public iscsi::runtime::StreamHandler {
 public:
  Sender(std::unique_ptr<Stream> stream, std::uint64_t total)
      : stream_(std::move(stream)), chunk_(kWriteSize, 0x5a), left_(total) {
    stream_->set_handler(this);
    on_writable();
  }
  void on_data(ByteView) override {}
  void on_writable() override {
    while (left_ > 0) {
      const std::size_t n = left_ < chunk_.size() ? left_ : chunk_.size();
      left_ -= n;
      if (!stream_->write(ByteView(chunk_).first(n))) return;
    }
    if (!closed_) stream_->shutdown_write();
    closed_ = true;
  }
  void on_closed(CloseReason) override {}

 private:
  std::unique_ptr<Stream> stream_;
  Bytes chunk_;
  std::uint64_t left_;
  bool closed_ = false;
};

class Receiver final : public iscsi::runtime::StreamHandler {
 public:
  void attach(std::unique_ptr<Stream> stream) {
    stream_ = std::move(stream);
    stream_->set_handler(this);
  }
  void on_data(ByteView bytes) override { received += bytes.size(); }
  void on_writable() override {}
  void on_closed(CloseReason) override { done = true; }
  std::uint64_t received = 0;
  bool done = false;

 private:
  std::unique_ptr<Stream> stream_;
};

void bulk_transfer(benchmark::State& state, iscsi::sim::LinkParams link, bool with_pcap = false) {
  const auto total = static_cast<std::uint64_t>(state.range(0));
  std::uint64_t events = 0;
  for (auto _ : state) {
    iscsi::sim::Simulator sim(iscsi::sim::SimConfig{.seed = 1, .event_limit = 1'000'000'000});
    iscsi::sim::Fabric fabric(sim);
    auto& a = fabric.add_host("initiator", 0x0a000001);
    auto& b = fabric.add_host("target", 0x0a000002);
    fabric.set_link(a, b, link);
    std::unique_ptr<iscsi::pcap::PcapRecorder> recorder;
    if (with_pcap) {
      auto opened = iscsi::pcap::PcapRecorder::open_file("/dev/null", sim);
      if (!opened) {
        state.SkipWithError(opened.error().to_string().c_str());
        return;
      }
      recorder = std::move(opened).value();
      fabric.set_trace(recorder.get());
    }
    Receiver receiver;
    std::unique_ptr<Sender> sender;
    (void)b.listen({0, kPort}, [&](std::unique_ptr<Stream> s) { receiver.attach(std::move(s)); });
    a.connect({.remote = {0x0a000002, kPort}}, [&](std::unique_ptr<Stream> s, CloseReason) {
      sender = std::make_unique<Sender>(std::move(s), total);
    });
    auto result = sim.run_until([&] { return receiver.done; });
    if (!result.ok() || receiver.received != total) {
      state.SkipWithError("transfer incomplete");
      return;
    }
    events += sim.total_events();
    if (recorder && !recorder->finish().ok()) state.SkipWithError("capture write failed");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(total) * state.iterations());
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}

// Seed-chosen segment sizes in [1, 1460]: the default, and the most events per byte.
void BM_BulkRandomSegments(benchmark::State& state) {
  bulk_transfer(state, iscsi::sim::LinkParams{});
}
// Full 1460-byte segments over a 10 Gbit/s link with 50 us latency.
void BM_BulkFullSegments10G(benchmark::State& state) {
  bulk_transfer(state, iscsi::sim::LinkParams{.latency = std::chrono::microseconds(50),
                                              .bandwidth_bps = 10'000'000'000,
                                              .mss = 1460,
                                              .min_segment = 1460});
}
// 64 KiB segments (as with TCP segmentation offload on loopback).
void BM_BulkLargeSegments(benchmark::State& state) {
  bulk_transfer(state, iscsi::sim::LinkParams{.mss = 65'536, .min_segment = 65'536});
}

void BM_BulkRandomSegmentsWithPcap(benchmark::State& state) {
  bulk_transfer(state, iscsi::sim::LinkParams{}, true);
}
void BM_BulkFullSegments10GWithPcap(benchmark::State& state) {
  bulk_transfer(state,
                iscsi::sim::LinkParams{.latency = std::chrono::microseconds(50),
                                       .bandwidth_bps = 10'000'000'000,
                                       .mss = 1460,
                                       .min_segment = 1460},
                true);
}

BENCHMARK(BM_BulkRandomSegments)->Arg(1 << 30)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BulkFullSegments10G)->Arg(1 << 30)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BulkLargeSegments)->Arg(1 << 30)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BulkRandomSegmentsWithPcap)->Arg(1 << 30)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BulkFullSegments10GWithPcap)->Arg(1 << 30)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
