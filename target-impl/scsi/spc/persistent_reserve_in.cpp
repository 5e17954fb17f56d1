// PERSISTENT RESERVE IN (SPC-4 §6.14): READ KEYS, READ RESERVATION, REPORT CAPABILITIES,
// READ FULL STATUS.
#include "core/scsi/opcodes.hpp"
#include "target-impl/scsi/command_table.hpp"
#include "target-impl/scsi/spc/handlers.hpp"

namespace iscsi::target::scsi::spc {
namespace {

namespace sa = iscsi::scsi::sa;

// SPC-4 §6.14.4, table 167: the PERSISTENT RESERVATION TYPE MASK bits this target supports
// (all six types), and CRH: RESERVE/RELEASE follow SPC-4 §5.13.3.
constexpr std::uint8_t kTypeMaskByte4 = 0x80 | 0x40 | 0x20 | 0x08 | 0x02;
constexpr std::uint8_t kTypeMaskByte5 = 0x01;
constexpr std::uint8_t kCrh = 0x10;
constexpr std::uint8_t kTmv = 0x80;
// SPC-4 §7.6.4.6: iSCSI TransportID, format 01b (initiator port name with ISID).
constexpr std::uint8_t kIscsiTransportIdPort = 0x40 | 0x05;
constexpr std::size_t kMinTransportIdLength = 24;

Bytes header(const PrState& pr) {
  Bytes data(8, 0);
  store_be32(&data[0], pr.generation);
  return data;
}

void finish(Bytes& data) {
  store_be32(&data[4], static_cast<std::uint32_t>(data.size() - 8));
}

Bytes read_keys(const PrState& pr) {
  Bytes data = header(pr);
  for (const auto& registration : pr.registrations) {
    const std::size_t at = data.size();
    data.resize(at + 8);
    store_be64(&data[at], registration.key);
  }
  finish(data);
  return data;
}

Bytes read_reservation(const PrState& pr) {
  Bytes data = header(pr);
  if (pr.reserved()) {
    data.resize(24, 0);
    // SPC-4 §6.14.3: an all-registrants reservation reports key 0.
    if (!pr_type_is_all_registrants(*pr.type)) store_be64(&data[8], pr.registrations[pr.holder].key);
    data[21] = static_cast<std::uint8_t>(*pr.type);  // SCOPE 0h: logical unit
  }
  finish(data);
  return data;
}

Bytes report_capabilities() {
  Bytes data(8, 0);
  store_be16(&data[0], 8);
  data[2] = kCrh;  // no SIP_C, ATP_C or PTPL_C: APTPL is not supported
  data[3] = kTmv;
  data[4] = kTypeMaskByte4;
  data[5] = kTypeMaskByte5;
  return data;
}

Bytes transport_id(const PrRegistration& registration) {
  Bytes name(registration.initiator_port_name.begin(), registration.initiator_port_name.end());
  name.push_back(0);
  while (name.size() % 4 != 0 || name.size() + 4 < kMinTransportIdLength) name.push_back(0);
  Bytes id(4, 0);
  id[0] = kIscsiTransportIdPort;
  store_be16(&id[2], static_cast<std::uint16_t>(name.size()));
  id.insert(id.end(), name.begin(), name.end());
  return id;
}

Bytes read_full_status(const PrState& pr) {
  Bytes data = header(pr);
  for (std::size_t i = 0; i < pr.registrations.size(); ++i) {
    const PrRegistration& registration = pr.registrations[i];
    const bool holder = pr.reserved() && (pr_type_is_all_registrants(*pr.type) || i == pr.holder);
    Bytes descriptor(24, 0);
    store_be64(&descriptor[0], registration.key);
    if (holder) {
      descriptor[12] = 0x01;  // R_HOLDER
      descriptor[13] = static_cast<std::uint8_t>(*pr.type);
    }
    store_be16(&descriptor[18], registration.relative_target_port);
    const Bytes id = transport_id(registration);
    store_be32(&descriptor[20], static_cast<std::uint32_t>(id.size()));
    data.insert(data.end(), descriptor.begin(), descriptor.end());
    data.insert(data.end(), id.begin(), id.end());
  }
  finish(data);
  return data;
}

}  // namespace

void persistent_reserve_in(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  const PrState& pr = task->lu().pr();
  const std::uint32_t allocation_length = load_be16(&cdb[7]);
  Bytes data;
  switch (service_action_of(cdb)) {
    case sa::kReadKeys: data = read_keys(pr); break;
    case sa::kReadReservation: data = read_reservation(pr); break;
    case sa::kReportCapabilities: data = report_capabilities(); break;
    case sa::kReadFullStatus: data = read_full_status(pr); break;
    default:
      // The table routes only the four service actions here.
      task->fail_invalid_field_in_cdb(1, 4);
      return;
  }
  truncate_to_allocation(data, allocation_length);
  task->complete_good(std::move(data));
}

}  // namespace iscsi::target::scsi::spc
