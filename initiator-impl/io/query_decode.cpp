#include "initiator-impl/io/query_decode.hpp"

#include <fmt/format.h>

#include <string_view>

#include "initiator-impl/client/cdb_builders.hpp"

namespace iscsi::initiator::io {
namespace {

// SPC-4 §6.6.2, table 142 (the common ones); others are shown by number only.
std::string_view device_type_name(unsigned type) {
  switch (type) {
    case 0x00:
      return "direct access block device";
    case 0x01:
      return "sequential access device";
    case 0x03:
      return "processor device";
    case 0x05:
      return "CD/DVD device";
    case 0x07:
      return "optical memory device";
    case 0x08:
      return "media changer device";
    case 0x0c:
      return "storage array controller device";
    case 0x0d:
      return "enclosure services device";
    case 0x1f:
      return "unknown or no device type";
    default:
      return "other device type";
  }
}

// SPC-4 §6.6.2, table 141.
std::string_view qualifier_text(unsigned qualifier) {
  switch (qualifier) {
    case 0:
      return "connected";
    case 1:
      return "not connected";
    case 3:
      return "not capable of supporting a device on this logical unit";
    default:
      return "reserved";
  }
}

// An ASCII field of INQUIRY data without its trailing blanks; other bytes shown as '?'.
std::string ascii_field(ByteView data, std::size_t from, std::size_t size) {
  std::string text;
  for (std::size_t i = from; i < from + size; ++i) {
    const auto c = static_cast<char>(data[i]);
    text.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace

DecodedAnswer decode_inquiry(ByteView data) {
  DecodedAnswer answer;
  if (data.size() < kStandardInquiryLength) {
    answer.error = fmt::format("INQUIRY returned {} bytes, fewer than the {} of standard data",
                               data.size(), kStandardInquiryLength);
    return answer;
  }
  const unsigned qualifier = data[0] >> 5;
  const unsigned type = data[0] & 0x1fU;
  answer.lines = {
      fmt::format("vendor: {}", ascii_field(data, 8, 8)),
      fmt::format("product: {}", ascii_field(data, 16, 16)),
      fmt::format("revision: {}", ascii_field(data, 32, 4)),
      fmt::format("peripheral type: 0x{:02x} ({})", type, device_type_name(type)),
      fmt::format("peripheral qualifier: {} ({})", qualifier, qualifier_text(qualifier)),
      fmt::format("version: 0x{:02x}", static_cast<unsigned>(data[2])),
  };
  return answer;
}

DecodedAnswer decode_read_capacity16(ByteView data) {
  DecodedAnswer answer;
  const auto capacity = client::cdb::parse_read_capacity16(data);
  if (!capacity) {
    answer.error = fmt::format("READ CAPACITY(16) returned {} bytes, fewer than 12", data.size());
    return answer;
  }
  const std::uint64_t blocks = capacity->last_lba + 1;
  answer.lines = {
      fmt::format("blocks: {}", blocks),
      fmt::format("block size: {} bytes", capacity->block_size),
      fmt::format("bytes: {}", blocks * capacity->block_size),
  };
  // Byte 14: LBPME (bit 7) and LBPRZ (bit 6), SBC-3 §5.16.2.
  if (data.size() > 14) {
    answer.lines.push_back(fmt::format("thin provisioning: lbpme={} lbprz={}", (data[14] >> 7) & 1U,
                                       (data[14] >> 6) & 1U));
  }
  return answer;
}

DecodedAnswer decode_report_luns(ByteView data) {
  DecodedAnswer answer;
  if (data.size() < 8) {
    answer.error =
        fmt::format("REPORT LUNS returned {} bytes, fewer than the 8-byte header", data.size());
    return answer;
  }
  const std::size_t listed = load_be32(data.data()) / 8;
  const std::vector<pdu::Lun> luns = client::cdb::parse_report_luns(data);
  for (const pdu::Lun& lun : luns) answer.lines.push_back(fmt::format("LUN {}", lun.to_string()));
  if (luns.size() < listed) {
    answer.lines.push_back(
        fmt::format("({} more LUNs listed than returned)", listed - luns.size()));
  }
  return answer;
}

}  // namespace iscsi::initiator::io
