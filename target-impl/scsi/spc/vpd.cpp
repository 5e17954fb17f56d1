// INQUIRY vital product data pages (SPC-4 §7.8, SBC-3 §6.5): 00h, 80h, 83h, B0h, B1h, B2h.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "target-impl/scsi/spc/handlers.hpp"
#include "target-impl/scsi/spc/identity_text.hpp"

namespace iscsi::target::scsi::spc {
namespace {

constexpr std::uint8_t kPageSupported = 0x00;
constexpr std::uint8_t kPageSerial = 0x80;
constexpr std::uint8_t kPageDeviceId = 0x83;
constexpr std::uint8_t kPageBlockLimits = 0xb0;
constexpr std::uint8_t kPageCharacteristics = 0xb1;
constexpr std::uint8_t kPageProvisioning = 0xb2;
// SPC-4 §7.6.1: PROTOCOL IDENTIFIER 5h is iSCSI.
constexpr std::uint8_t kProtocolIscsi = 0x5;

std::vector<std::uint8_t> supported_pages(const LogicalUnit& lu) {
  if (lu.is_controller()) return {kPageSupported, kPageSerial, kPageDeviceId};
  return {kPageSupported,   kPageSerial,          kPageDeviceId,
          kPageBlockLimits, kPageCharacteristics, kPageProvisioning};
}

// The 4-byte page header with PAGE LENGTH filled in from the body size.
Bytes page(const LogicalUnit& lu, std::uint8_t code, const Bytes& body) {
  Bytes data(4, 0);
  data[0] = static_cast<std::uint8_t>(lu.type());
  data[1] = code;
  store_be16(&data[2], static_cast<std::uint16_t>(body.size()));
  data.insert(data.end(), body.begin(), body.end());
  return data;
}

// SPC-4 §7.8.6.1: one designation descriptor.
void add_designator(Bytes& body, std::uint8_t byte0, std::uint8_t byte1, const Bytes& value) {
  body.push_back(byte0);
  body.push_back(byte1);
  body.push_back(0);
  body.push_back(static_cast<std::uint8_t>(value.size()));
  body.insert(body.end(), value.begin(), value.end());
}

// SCSI name strings are null-terminated and padded to a multiple of four (SPC-4 §7.8.6.11).
Bytes name_string(const std::string& name) {
  Bytes value(name.begin(), name.end());
  value.push_back(0);
  while (value.size() % 4 != 0) value.push_back(0);
  return value;
}

// NAA 3h, locally assigned (SPC-4 §7.8.6.6.3): 60 bits from a FNV-1a hash of the target name
// and LUN, so each logical unit has a stable, distinct name.
Bytes naa_locally_assigned(const Task& task) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  const std::string key = fmt::format("{}/{}", task.port().target_name, task.lu().lun());
  for (const char c : key) {
    hash ^= static_cast<std::uint8_t>(c);
    hash *= 0x100000001b3ull;
  }
  Bytes value(8, 0);
  store_be64(value.data(), (hash & 0x0fffffffffffffffull) | (std::uint64_t{0x3} << 60));
  return value;
}

Bytes device_identification(const Task& task) {
  const LogicalUnit& lu = task.lu();
  Bytes body;
  // T10 vendor ID based, ASCII, associated with the logical unit (tgt's SCSI ID).
  add_designator(body, 0x02, 0x01, Bytes(lu.identity().scsi_id.begin(),
                                         lu.identity().scsi_id.end()));
  add_designator(body, 0x01, 0x03, naa_locally_assigned(task));
  // Relative target port and SCSI name string of the target port (association 01b, PIV).
  Bytes relative_port(4, 0);
  store_be16(&relative_port[2], task.nexus().relative_target_port);
  const std::uint8_t iscsi_binary = (kProtocolIscsi << 4) | 0x01;
  const std::uint8_t iscsi_utf8 = (kProtocolIscsi << 4) | 0x03;
  add_designator(body, iscsi_binary, 0x94, relative_port);
  std::string port_name = task.nexus().target_port_name;
  if (port_name.empty()) {
    port_name = fmt::format("{},t,0x{:04x}", task.port().target_name,
                            task.nexus().relative_target_port);
  }
  add_designator(body, iscsi_utf8, 0x98, name_string(port_name));
  // SCSI name string of the target device (association 10b).
  add_designator(body, iscsi_utf8, 0xa8, name_string(task.port().target_name));
  return body;
}

Bytes block_limits(const LogicalUnit& lu) {
  const BlockLimits& limits = lu.limits();
  Bytes body(0x3c, 0);
  body[1] = limits.max_compare_and_write_length;
  // OPTIMAL TRANSFER LENGTH GRANULARITY: one physical block.
  store_be16(&body[2], static_cast<std::uint16_t>(1u << lu.lbppbe()));
  store_be32(&body[4], limits.max_transfer_length_blocks);
  store_be32(&body[8], limits.optimal_transfer_length_blocks);
  if (lu.thin()) {
    // SBC-3 §6.5.3: the unmap fields are zero unless UNMAP is supported (LBPU).
    store_be32(&body[16], limits.max_unmap_lba_count);
    store_be32(&body[20], limits.max_unmap_descriptor_count);
    store_be32(&body[24], limits.optimal_unmap_granularity);
    store_be32(&body[28], 0x80000000u);  // UGAVALID, alignment 0
  }
  store_be64(&body[32], limits.max_write_same_length);
  store_be32(&body[40], limits.max_atomic_transfer_length);
  store_be32(&body[44], 1);  // ATOMIC ALIGNMENT
  store_be32(&body[48], 1);  // ATOMIC TRANSFER LENGTH GRANULARITY
  return body;
}

Bytes block_characteristics() {
  Bytes body(0x3c, 0);
  store_be16(&body[0], 0x0001);  // MEDIUM ROTATION RATE: non-rotating medium
  // SBC-4 §6.6.2 byte 7: WABEREQ 01b and WACEREQ 01b: a read after a block or cryptographic
  // erase SANITIZE completes GOOD with unspecified data (libiscsi's Sanitize tests need them).
  body[3] = 0x50;
  return body;
}

Bytes logical_block_provisioning(const LogicalUnit& lu) {
  Bytes body(4, 0);
  if (lu.thin()) {
    // SBC-3 §6.5.4: LBPU, LBPWS, LBPWS10, LBPRZ (deallocated blocks read as zeros);
    // PROVISIONING TYPE 010b: thin provisioned.
    body[1] = 0x80 | 0x40 | 0x20 | 0x04;
    body[2] = 0x02;
  }
  return body;
}

std::optional<Bytes> page_body(const Task& task, std::uint8_t code) {
  const LogicalUnit& lu = task.lu();
  switch (code) {
    case kPageSupported: {
      const auto codes = supported_pages(lu);
      return Bytes(codes.begin(), codes.end());
    }
    case kPageSerial:
      return Bytes(lu.identity().scsi_sn.begin(), lu.identity().scsi_sn.end());
    case kPageDeviceId: return device_identification(task);
    case kPageBlockLimits: return block_limits(lu);
    case kPageCharacteristics: return block_characteristics();
    case kPageProvisioning: return logical_block_provisioning(lu);
    default: return std::nullopt;
  }
}

}  // namespace

void inquiry_vpd(const TaskPtr& task, std::uint8_t page_code, std::uint32_t allocation_length) {
  // A LUN without a logical unit has no VPD pages (SPC-4 §6.6.2 lets it answer standard
  // data only).
  if (!task->has_lu()) {
    task->complete_check_condition(SenseKey::illegal_request, asc::kLogicalUnitNotSupported);
    return;
  }
  const auto codes = supported_pages(task->lu());
  const bool supported = std::find(codes.begin(), codes.end(), page_code) != codes.end();
  const auto body = supported ? page_body(*task, page_code) : std::nullopt;
  if (!body) {
    task->fail_invalid_field_in_cdb(2, 7);
    return;
  }
  Bytes data = page(task->lu(), page_code, *body);
  truncate_to_allocation(data, allocation_length);
  task->complete_good(std::move(data));
}

}  // namespace iscsi::target::scsi::spc
