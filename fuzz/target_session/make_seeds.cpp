// Writes the seed corpus of the target_session harness: one file per scenario, each a 6-byte
// configuration (input_format.hpp) followed by an initiator's PDU stream.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz/target_session/input_format.hpp"
#include "tests/support/pdu_builders.hpp"

namespace iscsi::fuzz_target_session {
namespace {

namespace t = iscsi::test;

struct Seed {
  std::string name;
  std::array<std::uint8_t, kConfigBytes> config;
  std::vector<pdu::Pdu> pdus;
  pdu::DigestOptions digests{};
};

// A write of `length` bytes: immediate data, unsolicited Data-Out up to `first_burst`, then
// Data-Out for R2Ts whose TTTs the engine numbers 1, 2, ... in `max_burst` steps.
std::vector<pdu::Pdu> write_flow(std::uint32_t itt, std::uint32_t cmd_sn, std::uint32_t length,
                                 std::uint32_t immediate, std::uint32_t first_burst,
                                 std::uint32_t max_burst, std::uint32_t& next_ttt) {
  const Bytes data = t::pattern_bytes(length, static_cast<std::uint8_t>(itt));
  std::vector<pdu::Pdu> pdus;
  pdus.push_back(t::scsi_write10({.itt = itt, .cmd_sn = cmd_sn},
                                 {.lun = 1, .blocks = static_cast<std::uint16_t>(length / 512)},
                                 Bytes(data.begin(), data.begin() + immediate),
                                 first_burst > immediate));
  const auto sequence = [&](std::uint32_t ttt, std::uint32_t begin, std::uint32_t end) {
    std::uint32_t data_sn = 0;
    for (std::uint32_t offset = begin; offset < end; offset += 4096) {
      const std::uint32_t size = std::min<std::uint32_t>(4096, end - offset);
      pdus.push_back(t::data_out({.itt = itt, .ttt = ttt, .data_sn = data_sn++,
                                  .buffer_offset = offset, .lun = 1,
                                  .final = offset + size == end},
                                 1, Bytes(data.begin() + offset, data.begin() + offset + size)));
    }
  };
  sequence(pdu::kReservedTag, immediate, std::min(first_burst, length));
  for (std::uint32_t offset = std::max(immediate, first_burst); offset < length;
       offset += max_burst) {
    sequence(next_ttt++, offset, std::min(length, offset + max_burst));
  }
  return pdus;
}

Seed write_seed() {
  std::uint32_t ttt = 1;
  // ImmediateData=Yes, InitialR2T=No, FirstBurstLength 8192, MaxBurstLength 32768.
  Seed write{"write_unsolicited_r2t", {0x01, 0x01, 0x04 | (2 << 3), 0x04, 0, 1}, {}};
  write.pdus = write_flow(0x10, 1, 65536, 4096, 8192, 32768, ttt);
  for (pdu::Pdu& pdu : write_flow(0x11, 2, 16384, 0, 8192, 32768, ttt)) write.pdus.push_back(pdu);
  return write;
}

Seed read_seed() {
  Seed read{"reads_and_residuals", {0x03, 0x00, 0x07, 0x02, 7, 3}, {}};
  read.pdus.push_back(t::scsi_read10({.itt = 0x20, .cmd_sn = 1}, {.lun = 1, .blocks = 64}));
  read.pdus.push_back(t::scsi_command({.itt = 0x21, .cmd_sn = 2}, 0, Bytes{0x12, 0, 0, 0, 255, 0},
                                      255, true, false));
  read.pdus.push_back(t::scsi_command({.itt = 0x22, .cmd_sn = 3}, 1, Bytes(6, 0), 0, false, false));
  read.pdus.push_back(t::scsi_read10({.itt = 0x23, .cmd_sn = 5}, {.lun = 2, .blocks = 3}));
  read.pdus.push_back(t::scsi_read10({.itt = 0x24, .cmd_sn = 4}, {.lun = 1, .blocks = 1}));
  read.pdus.push_back(t::scsi_read10({.itt = 0x25, .cmd_sn = 40}, {.lun = 1, .blocks = 1}));
  read.pdus.push_back(t::scsi_read10({.itt = 0x26, .cmd_sn = 2}, {.lun = 1, .blocks = 1}));
  return read;
}

Seed discovery_seed() {
  Seed discovery{"discovery_text", {0x07, 0, 0x07, 0x00, 0, 0}, {}};
  pdu::Pdu first = t::text_request({.itt = 1, .cmd_sn = 1}, to_bytes("SendTarg"));
  std::get<pdu::TextRequest>(first.header).final = false;
  std::get<pdu::TextRequest>(first.header).continue_ = true;
  discovery.pdus.push_back(first);
  pdu::Pdu second = t::text_request({.itt = 1, .cmd_sn = 2}, Bytes{'e', 't', 's', '=', 'A', 'l', 'l', 0});
  std::get<pdu::TextRequest>(second.header).ttt = 1;
  discovery.pdus.push_back(second);
  for (std::uint32_t i = 0; i < 4; ++i) {
    pdu::Pdu more = t::text_request({.itt = 1, .cmd_sn = 3 + i}, {});
    std::get<pdu::TextRequest>(more.header).ttt = 2 + i;
    discovery.pdus.push_back(more);
  }
  discovery.pdus.push_back(t::scsi_read10({.itt = 2, .cmd_sn = 7}, {.lun = 0}));
  discovery.pdus.push_back(t::logout_request({.itt = 3, .cmd_sn = 7, .immediate = true},
                                             pdu::LogoutReason::close_session));
  return discovery;
}

std::vector<Seed> seeds() {
  std::vector<Seed> all{write_seed(), read_seed(), discovery_seed()};
  Seed nop{"nop_and_pings", {0x13, 0, 0x07, 0x04, 0, 75}, {}};
  nop.pdus.push_back(t::nop_out_ping({.itt = 1, .cmd_sn = 1}, t::pattern_bytes(100)));
  // The engine pings (TTT 1) before this answer arrives: steps of 1.2 s, interval 1 s.
  pdu::Pdu answer = t::nop_out_ping({.itt = pdu::kReservedTag, .cmd_sn = 2, .immediate = true}, {});
  std::get<pdu::NopOut>(answer.header).ttt = 1;
  nop.pdus.push_back(answer);
  nop.pdus.push_back(t::nop_out_ping({.itt = 2, .cmd_sn = 2, .immediate = true}, {}));
  nop.pdus.push_back(t::nop_out_ping({.itt = pdu::kReservedTag, .cmd_sn = 2}, {}));
  nop.pdus.push_back(t::text_request({.itt = 5, .cmd_sn = 2},
                                     t::key_text({{"MaxRecvDataSegmentLength", "1024"}})));
  all.push_back(nop);

  Seed tmf{"task_management", {0x01, 0x03, 0x1f, 0x04, 0, 0}, {}};
  tmf.pdus.push_back(t::scsi_read10({.itt = 1, .cmd_sn = 2}, {.lun = 1}));
  tmf.pdus.push_back(t::tmf_request({.itt = 2, .cmd_sn = 3, .immediate = true},
                                    pdu::TmfFunction::abort_task, 1, 1, 2));
  tmf.pdus.push_back(t::tmf_request({.itt = 3, .cmd_sn = 3, .immediate = true},
                                    pdu::TmfFunction::abort_task, 1, 9, 1));
  tmf.pdus.push_back(t::scsi_write10({.itt = 4, .cmd_sn = 1}, {.lun = 1, .blocks = 8}, {}, false));
  for (const auto function : {pdu::TmfFunction::abort_task_set, pdu::TmfFunction::clear_task_set,
                              pdu::TmfFunction::logical_unit_reset, pdu::TmfFunction::task_reassign,
                              pdu::TmfFunction::query_task, pdu::TmfFunction::target_warm_reset}) {
    tmf.pdus.push_back(t::tmf_request({.itt = 5, .cmd_sn = 3, .immediate = true}, function, 1,
                                      pdu::kReservedTag, 0));
  }
  tmf.pdus.push_back(t::logout_request({.itt = 6, .cmd_sn = 3}, pdu::LogoutReason::close_connection));
  all.push_back(tmf);

  Seed mixed{"mixed_opcodes", {0x01, 0, 0x07, 0x04, 13, 0}, t::mixed_pdus()};
  all.push_back(mixed);

  Seed digest{"data_digest", {0x09, 0, 0x07, 0x04, 0, 0}, {}, {false, true}};
  digest.pdus.push_back(t::scsi_write10({.itt = 1, .cmd_sn = 1}, {.lun = 1, .blocks = 1},
                                        t::pattern_bytes(512)));
  digest.pdus.push_back(t::snack_request(pdu::SnackType::status, pdu::kReservedTag, 1, 0));
  all.push_back(digest);
  return all;
}

}  // namespace
}  // namespace iscsi::fuzz_target_session

int main(int argc, char** argv) {
  using namespace iscsi::fuzz_target_session;
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus dir>\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir(argv[1]);
  std::filesystem::create_directories(dir);
  for (const Seed& seed : seeds()) {
    iscsi::Bytes bytes(seed.config.begin(), seed.config.end());
    const iscsi::Bytes stream = iscsi::test::wire_stream(seed.pdus, seed.digests);
    bytes.insert(bytes.end(), stream.begin(), stream.end());
    if (seed.name == "data_digest") bytes[kConfigBytes + 48 + 10] ^= 0x20;  // corrupt the payload
    std::ofstream out(dir / (seed.name + ".bin"), std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  return 0;
}
