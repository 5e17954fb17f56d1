// The SPC-4 part of the command table: usage bitmaps (SPC-4 §6.35.3) and the checks the Port
// applies before each handler (command_table.hpp).
#include <utility>

#include "core/scsi/opcodes.hpp"
#include "target-impl/scsi/command_table.hpp"
#include "target-impl/scsi/spc/handlers.hpp"

namespace iscsi::target::scsi {
namespace {

namespace op = iscsi::scsi::op;
namespace sa = iscsi::scsi::sa;

// Commands that only read device state: allowed everywhere, under any reservation (SPC-4
// §5.13.1 table 56, SPC-2 §5.5.1), and without clearing unit attentions.
CommandInfo informational(std::uint8_t opcode, std::string_view name, Handler handler,
                          Bytes usage) {
  CommandInfo info;
  info.opcode = opcode;
  info.name = name;
  info.handler = handler;
  info.cdb_length = static_cast<std::uint8_t>(usage.size());
  info.cdb_usage = std::move(usage);
  info.allowed_on_controller = true;
  info.allowed_under_reserve6 = true;
  info.pr_access = PrAccess::allowed;
  return info;
}

CommandInfo device_command(std::uint8_t opcode, std::string_view name, Handler handler,
                           Bytes usage, PrAccess pr_access) {
  CommandInfo info = informational(opcode, name, handler, std::move(usage));
  info.allowed_under_reserve6 = false;
  info.pr_access = pr_access;
  return info;
}

void register_informational(CommandTable& table) {
  // INQUIRY, REPORT LUNS and REQUEST SENSE run on unknown LUNs and ignore unit attentions
  // (SAM-5 §5.14).
  for (CommandInfo info : {
           informational(op::kInquiry, "INQUIRY", spc::inquiry,
                         cdb_usage(op::kInquiry, {0x01, 0xff, 0xff, 0xff, 0x00})),
           informational(op::kReportLuns, "REPORT LUNS", spc::report_luns,
                         cdb_usage(op::kReportLuns, {0x00, 0xff, 0x00, 0x00, 0x00, 0xff, 0xff,
                                                     0xff, 0xff, 0x00, 0x00})),
           informational(op::kRequestSense, "REQUEST SENSE", spc::request_sense,
                         cdb_usage(op::kRequestSense, {0x01, 0x00, 0x00, 0xff, 0x00})),
       }) {
    info.runs_without_lu = true;
    info.ignores_unit_attention = true;
    info.runs_during_sanitize = true;
    table.add(std::move(info));
  }
  CommandInfo rsoc = informational(
      op::kMaintenanceIn, "REPORT SUPPORTED OPERATION CODES", spc::report_supported_operation_codes,
      cdb_usage(op::kMaintenanceIn,
                {0x1f, 0x87, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00}));
  rsoc.service_action = sa::kReportSupportedOperationCodes;
  table.add(std::move(rsoc));
}

void register_pr(CommandTable& table) {
  // SPC-2 §5.5.1: PERSISTENT RESERVE IN/OUT conflict with a RESERVE(6) reservation.
  const struct {
    std::uint16_t action;
    std::string_view name;
  } in_actions[] = {{sa::kReadKeys, "PERSISTENT RESERVE IN READ KEYS"},
                    {sa::kReadReservation, "PERSISTENT RESERVE IN READ RESERVATION"},
                    {sa::kReportCapabilities, "PERSISTENT RESERVE IN REPORT CAPABILITIES"},
                    {sa::kReadFullStatus, "PERSISTENT RESERVE IN READ FULL STATUS"}};
  for (const auto& action : in_actions) {
    CommandInfo info = device_command(
        op::kPersistentReserveIn, action.name, spc::persistent_reserve_in,
        cdb_usage(op::kPersistentReserveIn, {0x1f, 0, 0, 0, 0, 0, 0xff, 0xff, 0}),
        PrAccess::allowed);
    info.service_action = action.action;
    table.add(std::move(info));
  }
  const struct {
    std::uint16_t action;
    std::string_view name;
  } out_actions[] = {
      {sa::kRegister, "PERSISTENT RESERVE OUT REGISTER"},
      {sa::kReserve, "PERSISTENT RESERVE OUT RESERVE"},
      {sa::kRelease, "PERSISTENT RESERVE OUT RELEASE"},
      {sa::kClear, "PERSISTENT RESERVE OUT CLEAR"},
      {sa::kPreempt, "PERSISTENT RESERVE OUT PREEMPT"},
      {sa::kPreemptAndAbort, "PERSISTENT RESERVE OUT PREEMPT AND ABORT"},
      {sa::kRegisterAndIgnoreExistingKey, "PERSISTENT RESERVE OUT REGISTER AND IGNORE"}};
  for (const auto& action : out_actions) {
    CommandInfo info = device_command(
        op::kPersistentReserveOut, action.name, spc::persistent_reserve_out,
        cdb_usage(op::kPersistentReserveOut, {0x1f, 0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, 0}),
        PrAccess::allowed);
    info.service_action = action.action;
    table.add(std::move(info));
  }
}

void register_mode_and_medium(CommandTable& table) {
  table.add(device_command(op::kModeSense6, "MODE SENSE(6)", spc::mode_sense6,
                           cdb_usage(op::kModeSense6, {0x08, 0xff, 0xff, 0xff, 0x00}),
                           PrAccess::conflicts_exclusive_access));
  table.add(device_command(op::kModeSense10, "MODE SENSE(10)", spc::mode_sense10,
                           cdb_usage(op::kModeSense10, {0x18, 0xff, 0xff, 0, 0, 0, 0xff, 0xff, 0}),
                           PrAccess::conflicts_exclusive_access));
  table.add(device_command(op::kModeSelect6, "MODE SELECT(6)", spc::mode_select6,
                           cdb_usage(op::kModeSelect6, {0x11, 0x00, 0x00, 0xff, 0x00}),
                           PrAccess::conflicts));
  table.add(device_command(op::kModeSelect10, "MODE SELECT(10)", spc::mode_select10,
                           cdb_usage(op::kModeSelect10, {0x11, 0, 0, 0, 0, 0, 0xff, 0xff, 0}),
                           PrAccess::conflicts));
  CommandInfo tur = device_command(op::kTestUnitReady, "TEST UNIT READY", spc::test_unit_ready,
                                   cdb_usage(op::kTestUnitReady, {0, 0, 0, 0, 0}),
                                   PrAccess::conflicts_exclusive_access);
  tur.needs_medium = true;
  table.add(std::move(tur));
  table.add(device_command(op::kStartStopUnit, "START STOP UNIT", spc::start_stop_unit,
                           cdb_usage(op::kStartStopUnit, {0x01, 0x00, 0x0f, 0xf7, 0x00}),
                           PrAccess::conflicts));
  table.add(device_command(op::kPreventAllowMediumRemoval, "PREVENT ALLOW MEDIUM REMOVAL",
                           spc::prevent_allow_medium_removal,
                           cdb_usage(op::kPreventAllowMediumRemoval, {0, 0, 0, 0x03, 0}),
                           PrAccess::conflicts));
}

void register_reserve(CommandTable& table) {
  // SPC-2 §5.5.1: RELEASE from a nexus that holds nothing is GOOD without effect, so it is
  // allowed while another nexus holds the reservation.
  table.add(device_command(op::kReserve6, "RESERVE(6)", spc::reserve,
                           cdb_usage(op::kReserve6, {0, 0, 0, 0, 0}), PrAccess::conflicts));
  table.add(device_command(op::kReserve10, "RESERVE(10)", spc::reserve,
                           cdb_usage(op::kReserve10, {0, 0, 0, 0, 0, 0, 0, 0, 0}),
                           PrAccess::conflicts));
  for (CommandInfo info :
       {device_command(op::kRelease6, "RELEASE(6)", spc::release,
                       cdb_usage(op::kRelease6, {0, 0, 0, 0, 0}), PrAccess::conflicts),
        device_command(op::kRelease10, "RELEASE(10)", spc::release,
                       cdb_usage(op::kRelease10, {0, 0, 0, 0, 0, 0, 0, 0, 0}),
                       PrAccess::conflicts)}) {
    info.allowed_under_reserve6 = true;
    table.add(std::move(info));
  }
}

}  // namespace

void register_spc_commands(CommandTable& table) {
  register_informational(table);
  register_pr(table);
  register_mode_and_medium(table);
  register_reserve(table);
}

}  // namespace iscsi::target::scsi
