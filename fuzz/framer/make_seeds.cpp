// Writes the framer fuzz seed corpus: the PDUs and streams of a real capture, plus
// builder-made PDUs of the opcodes and features the capture lacks (NOP-Out/In, SNACK, Async,
// Reject, digests, AHS, malformed headers).
//   framer_make_seeds ../shared/testdata/tgtd-libiscsi-session.pcap fuzz/framer/corpus
#include <cstdio>
#include <fstream>
#include <set>
#include <string>

#include <fmt/format.h>

#include "core/crc32c/crc32c.hpp"
#include "core/pdu/codec.hpp"
#include "fuzz/framer/input_format.hpp"
#include "tests/support/capture_reader.hpp"
#include "tests/support/pdu_builders.hpp"

namespace {

using iscsi::Bytes;
using iscsi::ByteView;
namespace pdu = iscsi::pdu;
namespace test = iscsi::test;
using iscsi::fuzz_framer::Config;

// Seeds larger than this are cut to a PDU boundary below it, to keep the fuzzer fast.
constexpr std::size_t kMaxSeedBytes = 16384;
constexpr Config kPlain{.limit_choice = 3};
constexpr Config kBoth{.digests = {.header = true, .data = true}, .limit_choice = 3};

std::string out_dir;
std::size_t written = 0;

void write_seed(const std::string& name, const Config& config, ByteView stream) {
  const auto head = iscsi::fuzz_framer::config_bytes(config);
  std::ofstream out(out_dir + "/" + name, std::ios::binary);
  out.write(reinterpret_cast<const char*>(head.data()), static_cast<std::streamsize>(head.size()));
  out.write(reinterpret_cast<const char*>(stream.data()),
            static_cast<std::streamsize>(stream.size()));
  ++written;
}

// Splits a stream without digests into PDUs; stops at anything that does not frame.
std::vector<ByteView> split_pdus(ByteView stream) {
  std::vector<ByteView> pdus;
  while (stream.size() >= pdu::kBhsLength) {
    const std::size_t length = pdu::pdu_wire_length(stream, {});
    if (length > stream.size()) break;
    pdus.push_back(stream.first(length));
    stream = stream.subspan(length);
  }
  return pdus;
}

void capture_seeds(const std::string& pcap) {
  auto segments = test::read_tcp_segments(pcap);
  if (!segments) {
    std::fprintf(stderr, "%s\n", segments.error().to_string().c_str());
    std::exit(1);
  }
  std::set<Bytes> seen;
  int stream_index = 0;
  for (const test::DirectionalStream& stream : test::split_directions(*segments)) {
    std::size_t prefix = 0;
    for (ByteView one : split_pdus(stream.bytes)) {
      if (prefix + one.size() > kMaxSeedBytes) break;
      prefix += one.size();
    }
    Config chunked = kPlain;
    chunked.chunk = static_cast<std::uint8_t>(17 + stream_index);
    write_seed(fmt::format("capture-stream-{:02}", stream_index++), chunked,
               ByteView(stream.bytes).first(prefix));
    for (ByteView one : split_pdus(stream.bytes)) {
      // One seed per opcode, flags, codes and lengths: the same PDU with other tags and
      // sequence numbers adds nothing.
      const Bytes key(one.begin(), one.begin() + 8);
      if (one.size() > kMaxSeedBytes || !seen.insert(key).second) continue;
      write_seed(fmt::format("capture-pdu-{:02x}-{:03}", one[0] & 0x3f, seen.size()), kPlain, one);
    }
  }
}

void builder_seeds() {
  const std::vector<pdu::Pdu> mixed = test::mixed_pdus();
  for (const Config& config :
       {kPlain, kBoth, Config{.digests = {.header = true}, .limit_choice = 3},
        Config{.digests = {.data = true}, .limit_choice = 3, .chunk = 5}}) {
    write_seed(fmt::format("builder-mixed-hd{}-dd{}", config.digests.header, config.digests.data),
               config, test::wire_stream(mixed, config.digests));
  }
  // Login without digests, then digests from the third event on.
  Bytes login = test::wire_stream({mixed[0], mixed[1]});
  const Bytes ffp = test::wire_stream({mixed.begin() + 2, mixed.end()}, kBoth.digests);
  login.insert(login.end(), ffp.begin(), ffp.end());
  write_seed("builder-digests-after-login",
             {.digests = kBoth.digests,
              .limit_choice = 3,
              .digests_after_events = true,
              .switch_after = 2},
             login);
  // The opcodes the capture lacks, alone, with and without digests.
  for (std::size_t i = 0; i < mixed.size(); ++i) {
    const auto code = static_cast<unsigned>(pdu::opcode(mixed[i]));
    if (code != 0x00 && code != 0x10 && code != 0x20 && code != 0x32 && code != 0x3f) continue;
    write_seed(fmt::format("builder-op-{:02x}-{:02}", code, i), kPlain, test::wire(mixed[i]));
    write_seed(fmt::format("builder-op-{:02x}-{:02}-digests", code, i), kBoth,
               test::wire(mixed[i], kBoth.digests));
  }
}

void malformed_seeds() {
  const pdu::Pdu ping = test::nop_out_ping({.itt = 1}, test::pattern_bytes(7));
  Bytes reserved_opcode = test::wire(ping);
  reserved_opcode[0] = 0x07;
  write_seed("malformed-reserved-opcode", kPlain, reserved_opcode);
  Bytes vendor = test::wire(ping);
  vendor[0] = 0x1c;
  write_seed("malformed-vendor-opcode", kPlain, vendor);
  Bytes data_digest = test::wire_stream({ping, ping}, kBoth.digests);
  data_digest[pdu::kBhsLength + 4] ^= 1;
  write_seed("malformed-data-digest", kBoth, data_digest);
  Bytes header_digest = test::wire_stream({ping, ping}, kBoth.digests);
  header_digest[12] ^= 1;
  write_seed("malformed-header-digest", kBoth, header_digest);
  const Bytes over = test::wire_stream({test::data_in({}, {}, test::pattern_bytes(600)), ping});
  write_seed("malformed-over-limit-512", {.limit_choice = 1}, over);
  Bytes pad = test::wire(ping);
  pad[pdu::kBhsLength + 7] = 0x55;
  write_seed("malformed-nonzero-pad", kPlain, pad);
  pdu::Pdu odd_ahs = test::scsi_read10({}, {});
  odd_ahs.ahs.push_back(pdu::RawAhs{.type = 0x3c, .specific = {1, 2, 3, 4, 5, 6}});
  write_seed("malformed-unknown-ahs", kPlain, test::wire(odd_ahs));
  Bytes bad_ahs = test::wire(test::scsi_command({}, 1, test::pattern_bytes(40), 0, true, false));
  bad_ahs[pdu::kBhsLength + 1] = 0x40;
  write_seed("malformed-ahs-length", kPlain, bad_ahs);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <capture.pcap> <corpus dir>\n", argv[0]);
    return 2;
  }
  out_dir = argv[2];
  capture_seeds(argv[1]);
  builder_seeds();
  malformed_seeds();
  std::printf("wrote %zu seeds to %s\n", written, out_dir.c_str());
  return 0;
}
