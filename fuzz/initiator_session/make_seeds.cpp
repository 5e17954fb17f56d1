// Writes the seed corpus of the initiator_session harness: target byte streams answering the
// requests the harness has in flight (see input_format.hpp), well-formed and broken.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "core/pdu/codec.hpp"
#include "tests/support/pdu_builders.hpp"

namespace {

using iscsi::Bytes;
using iscsi::test::DataParams;
using iscsi::test::TargetSn;
namespace pdu = iscsi::pdu;

constexpr std::uint32_t kExp = 4;
constexpr std::uint32_t kMax = 10;

TargetSn sn(std::uint32_t itt, std::uint32_t stat_sn) { return TargetSn{itt, stat_sn, kExp, kMax}; }

// Config: ImmediateData=Yes, InitialR2T=Yes; target MRDSL 4096, MaxBurstLength 16384.
Bytes config(std::uint8_t flags = 0x03, std::uint8_t chunk = 0) {
  return Bytes{flags, static_cast<std::uint8_t>(3 | (5 << 3)), chunk};
}

std::vector<pdu::Pdu> happy_path() {
  std::vector<pdu::Pdu> pdus;
  pdus.push_back(iscsi::test::data_in({.itt = 1, .final = false}, sn(1, 1), Bytes(2048, 1)));
  pdus.push_back(iscsi::test::data_in({.itt = 1, .data_sn = 1, .buffer_offset = 2048}, sn(1, 1),
                                      Bytes(2048, 2), 0));
  pdus.push_back(iscsi::test::r2t(sn(2, 2), 0x100, 0, 4096, 4096));
  pdu::Pdu write_done = iscsi::test::scsi_response(sn(2, 2), 0);
  std::get<pdu::ScsiResponse>(write_done.header).exp_data_sn = 1;
  pdus.push_back(write_done);
  pdus.push_back(iscsi::test::scsi_response(sn(3, 3), 0));
  pdus.push_back(iscsi::test::text_response(
      sn(4, 4), iscsi::test::key_text({{"TargetName", "iqn.2026-11.org.example:disk"},
                                       {"TargetAddress", "127.0.0.1:3260,1"}})));
  pdus.push_back(iscsi::test::nop_in_ping(sn(pdu::kReservedTag, 5), 0x33));
  pdus.push_back(
      iscsi::test::async_message(sn(pdu::kReservedTag, 5), pdu::AsyncEvent::logout_request, 3));
  pdus.push_back(
      iscsi::test::logout_response(sn(5, 6), pdu::LogoutResponseCode::closed_successfully));
  return pdus;
}

std::vector<pdu::Pdu> broken() {
  std::vector<pdu::Pdu> pdus;
  pdus.push_back(iscsi::test::data_in({.itt = 1, .final = false}, sn(1, 9), Bytes(1024, 1)));
  pdus.push_back(iscsi::test::data_in({.itt = 1, .data_sn = 0, .buffer_offset = 3072}, sn(1, 9),
                                      Bytes(2048, 2), 0));
  pdus.push_back(iscsi::test::scsi_response(TargetSn{3, 1, 2, 1}, 2));
  pdus.push_back(iscsi::test::nop_in_reply(sn(0x77, 3), Bytes{1, 2, 3}));
  pdus.push_back(iscsi::test::r2t(sn(2, 4), pdu::kReservedTag, 1, 0, 999999));
  return pdus;
}

std::vector<pdu::Pdu> text_and_reject() {
  std::vector<pdu::Pdu> pdus;
  pdus.push_back(iscsi::test::scsi_response(sn(3, 1), 0));
  pdu::Pdu first = iscsi::test::text_response(sn(4, 2), Bytes{'T', 'a', 'r', 'g'});
  auto& header = std::get<pdu::TextResponse>(first.header);
  header.final = false;
  header.continue_ = true;
  header.ttt = 0x55;
  pdus.push_back(first);
  pdus.push_back(
      iscsi::test::text_response(sn(4, 3), Bytes{'e', 't', 'N', 'a', 'm', 'e', '=', 'x', 0}));
  pdu::ScsiCommand rejected;
  rejected.itt = 2;
  rejected.write = true;
  const Bytes bhs = pdu::encode(pdu::Pdu{rejected, {}, {}});
  pdus.push_back(iscsi::test::reject(sn(pdu::kReservedTag, 4), pdu::RejectReason::invalid_pdu_field,
                                     iscsi::ByteView(bhs).first(pdu::kBhsLength)));
  pdus.push_back(iscsi::test::tmf_response(sn(9, 5), pdu::TmfResponse::function_complete));
  return pdus;
}

void write_seed(const std::string& dir, const std::string& name, Bytes head,
                const std::vector<pdu::Pdu>& pdus) {
  const Bytes stream = iscsi::test::wire_stream(pdus);
  head.insert(head.end(), stream.begin(), stream.end());
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out.write(reinterpret_cast<const char*>(head.data()), static_cast<std::streamsize>(head.size()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: initiator_session_make_seeds <corpus dir>\n");
    return 2;
  }
  const std::string dir = argv[1];
  write_seed(dir, "happy-path", config(), happy_path());
  write_seed(dir, "happy-path-chunked-out-of-order", config(0x0f, 7), happy_path());
  write_seed(dir, "unsolicited-nop", config(0x11), happy_path());
  write_seed(dir, "broken", config(), broken());
  write_seed(dir, "text-and-reject", config(0x02, 13), text_and_reject());
  return 0;
}
