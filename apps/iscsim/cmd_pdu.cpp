// `iscsim pdu decode`: decodes iSCSI PDUs from hex (arguments or standard input) or from a raw
// byte-stream file, one line per PDU, with every finding named by its violation id. For reading
// a hex dump from a bug report or a trace without opening Wireshark.
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "apps/iscsim/commands.hpp"
#include "core/pdu/describe.hpp"
#include "core/pdu/framer.hpp"

namespace iscsim {
namespace {

struct PduOptions {
  std::vector<std::string> hex;
  std::string raw_file;
  bool header_digest = false;
  bool data_digest = false;
  std::uint32_t max_data_segment_length = iscsi::pdu::kMaxDataSegmentLength;
};

// Accepts hex digits in any grouping, with "0x" prefixes and "0010:"-style offset words (as in
// tcpdump -X output) ignored.
bool read_hex_input(const PduOptions& options, iscsi::Bytes& out, std::string& error) {
  std::string text;
  if (options.hex.empty()) {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    for (const std::string& part : options.hex) text += part + " ";
  }
  std::string digits;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    if (word.rfind("0x", 0) == 0 || word.rfind("0X", 0) == 0) word = word.substr(2);
    if (!word.empty() && word.back() == ':') continue;
    digits += word;
  }
  if (!iscsi::parse_hex(digits, out)) {
    error = "the input is not hex bytes";
    return false;
  }
  return true;
}

bool read_raw_file(const std::string& path, iscsi::Bytes& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = fmt::format("cannot read {}", path);
    return false;
  }
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

void print_event(std::size_t index, const iscsi::pdu::DecodedPdu& decoded) {
  std::printf("%zu: %s\n", index, iscsi::pdu::describe(decoded.pdu).c_str());
  for (const iscsi::Violation& v : decoded.observations) {
    std::printf("   warning: %s\n", v.to_string().c_str());
  }
}

int run_decode(const PduOptions& options) {
  iscsi::Bytes bytes;
  std::string error;
  const bool read_ok = options.raw_file.empty() ? read_hex_input(options, bytes, error)
                                                : read_raw_file(options.raw_file, bytes, error);
  if (!read_ok) {
    std::fprintf(stderr, "iscsim pdu decode: %s\n", error.c_str());
    return 2;
  }
  iscsi::pdu::Framer framer({.digests = {.header = options.header_digest,
                                         .data = options.data_digest},
                             .max_data_segment_length = options.max_data_segment_length});
  framer.feed(bytes);
  std::size_t index = 0;
  int status = 0;
  for (auto event = framer.next(); !std::holds_alternative<iscsi::pdu::NeedMore>(event);
       event = framer.next()) {
    if (const auto* decoded = std::get_if<iscsi::pdu::DecodedPdu>(&event)) {
      print_event(index++, *decoded);
      continue;
    }
    const auto& failure = std::get<iscsi::pdu::FrameError>(event);
    std::printf("%zu: error: %s\n", index++, failure.violation.to_string().c_str());
    status = 1;
    if (failure.fatal()) break;
  }
  if (!framer.failed()) {
    if (auto end = framer.check_end_of_stream(); !end) {
      std::printf("error: %s\n", end.error().to_string().c_str());
      status = 1;
    }
  }
  return status;
}

}  // namespace

void register_pdu_command(CLI::App& app) {
  auto* pdu = app.add_subcommand("pdu", "Work with raw iSCSI PDUs");
  pdu->require_subcommand(1);
  auto options = std::make_shared<PduOptions>();
  auto* decode = pdu->add_subcommand(
      "decode",
      "Decode PDUs from hex (arguments, or standard input when none are given) or from a raw "
      "byte-stream file, one line per PDU. Exit 0 when every byte decoded cleanly, 1 when a "
      "PDU was malformed (the error names the violation and the RFC section), 2 on bad input.");
  decode->add_option("hex", options->hex, "Hex bytes of one or more PDUs, in any grouping");
  decode->add_option("-f,--raw-file", options->raw_file,
                     "Read the bytes of one direction of a connection from a binary file")
      ->check(CLI::ExistingFile);
  decode->add_flag("--header-digest", options->header_digest,
                   "PDUs carry a CRC32C header digest (HeaderDigest=CRC32C was negotiated)");
  decode->add_flag("--data-digest", options->data_digest,
                   "PDUs carry a CRC32C data digest (DataDigest=CRC32C was negotiated)");
  decode->add_option("--max-data-segment-length", options->max_data_segment_length,
                     "Refuse data segments longer than this (MaxRecvDataSegmentLength)")
      ->capture_default_str()->check(CLI::Range(512u, iscsi::pdu::kMaxDataSegmentLength));
  decode->callback([options] { set_exit_code(run_decode(*options)); });
}

}  // namespace iscsim
