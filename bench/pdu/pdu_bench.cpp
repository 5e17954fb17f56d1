// Throughput of the PDU codec and framer: BHS decode rate, framing of a mixed stream, and
// framing of 64 KiB Data-In PDUs with digests (the target is >= 2 GB/s with CRC32C digests).
#include <benchmark/benchmark.h>

#include "core/pdu/codec.hpp"
#include "core/pdu/framer.hpp"
#include "tests/support/pdu_builders.hpp"

namespace {

using namespace iscsi;

constexpr std::size_t kDataInPayload = 64 * 1024;
constexpr std::size_t kStreamPdus = 32;

// Bytes or items per iteration, as Google Benchmark counts them.
std::int64_t count(std::size_t n) { return static_cast<std::int64_t>(n); }

// Frames `stream` fed in `chunk`-byte pieces; returns the number of PDUs.
std::size_t frame_stream(pdu::Framer& framer, ByteView stream, std::size_t chunk) {
  std::size_t pdus = 0;
  for (std::size_t offset = 0; offset < stream.size(); offset += chunk) {
    framer.feed(stream.subspan(offset, std::min(chunk, stream.size() - offset)));
    for (;;) {
      pdu::FrameEvent event = framer.next();
      if (std::holds_alternative<pdu::NeedMore>(event)) break;
      if (!std::holds_alternative<pdu::DecodedPdu>(event)) return pdus;
      benchmark::DoNotOptimize(std::get<pdu::DecodedPdu>(event).pdu.data.data());
      ++pdus;
    }
  }
  return pdus;
}

void BM_DecodeBhs(benchmark::State& state) {
  const Bytes bytes = test::wire(test::scsi_read10({.itt = 9, .cmd_sn = 4}, {.lun = 1}));
  for (auto _ : state) {
    Result<pdu::DecodedPdu> decoded = pdu::decode_bhs(bytes);
    benchmark::DoNotOptimize(decoded);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecodeBhs);

void BM_EncodeDataIn64KiB(benchmark::State& state) {
  const pdu::Pdu pdu = test::data_in({.itt = 1}, {}, test::pattern_bytes(kDataInPayload));
  const pdu::DigestOptions digests{.header = true, .data = state.range(0) != 0};
  Bytes out;
  for (auto _ : state) {
    out.clear();
    pdu::encode_to(pdu, digests, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * count(out.size()));
}
BENCHMARK(BM_EncodeDataIn64KiB)->Arg(0)->Arg(1)->ArgName("data_digest");

void BM_FramerMixedStream(benchmark::State& state) {
  std::vector<pdu::Pdu> pdus;
  for (int i = 0; i < 16; ++i) {
    for (const pdu::Pdu& p : test::mixed_pdus()) pdus.push_back(p);
  }
  const pdu::DigestOptions digests{.header = state.range(0) != 0, .data = state.range(0) != 0};
  const Bytes stream = test::wire_stream(pdus, digests);
  const auto chunk = static_cast<std::size_t>(state.range(1));
  for (auto _ : state) {
    pdu::Framer framer({.digests = digests, .max_data_segment_length = 1 << 20});
    if (frame_stream(framer, stream, chunk) != pdus.size()) state.SkipWithError("framing failed");
  }
  state.SetBytesProcessed(state.iterations() * count(stream.size()));
  state.SetItemsProcessed(state.iterations() * count(pdus.size()));
}
BENCHMARK(BM_FramerMixedStream)
    ->ArgNames({"digests", "chunk"})
    ->Args({0, 1460})
    ->Args({0, 65536})
    ->Args({1, 65536});

// 64 KiB Data-In PDUs with data digests (and header digests), fed as the socket would deliver
// them: chunk 65536 makes every PDU straddle two chunks; 262144 keeps most PDUs contiguous.
void BM_FramerDataIn64KiB(benchmark::State& state) {
  std::vector<pdu::Pdu> pdus;
  for (std::uint32_t i = 0; i < kStreamPdus; ++i) {
    pdus.push_back(test::data_in(
        {.itt = 1, .data_sn = i, .buffer_offset = i * static_cast<std::uint32_t>(kDataInPayload)},
        {}, test::pattern_bytes(kDataInPayload, static_cast<std::uint8_t>(i))));
  }
  const pdu::DigestOptions digests{.header = true, .data = true};
  const Bytes stream = test::wire_stream(pdus, digests);
  const auto chunk = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    pdu::Framer framer({.digests = digests, .max_data_segment_length = kDataInPayload});
    if (frame_stream(framer, stream, chunk) != pdus.size()) state.SkipWithError("framing failed");
  }
  state.SetBytesProcessed(state.iterations() * count(stream.size()));
}
BENCHMARK(BM_FramerDataIn64KiB)->ArgName("chunk")->Arg(65536)->Arg(262144)->Arg(4 << 20);

}  // namespace

BENCHMARK_MAIN();
