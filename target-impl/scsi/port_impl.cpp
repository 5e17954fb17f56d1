// Command dispatch and device-wide side effects of one target (port_impl.hpp).
#include "target-impl/scsi/port_impl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "core/scsi/cdb.hpp"
#include "core/scsi/opcodes.hpp"
#include "target-impl/scsi/backing/tracked_store.hpp"

namespace iscsi::target::scsi {
namespace {

// tgt's defaults for an empty SCSI ID and serial number (tgtadm --op show prints them).
LunIdentity default_identity(LunIdentity identity, std::uint32_t tid, std::uint16_t lun) {
  if (identity.scsi_id.empty()) identity.scsi_id = fmt::format("IET     {:04x}{:04x}", tid, lun);
  if (identity.scsi_sn.empty()) identity.scsi_sn = fmt::format("beaf{}{}", tid, lun);
  return identity;
}

// What a medium write CDB asks the initiator to send, so that a CHECK CONDITION from the checks
// before the handler still lets the session compute the residual (RFC 7143 §11.4.5.1); the
// handlers set it themselves for everything else.
std::uint32_t default_data_out_wanted(ByteView cdb) {
  const auto rw = iscsi::scsi::decode_rw(cdb);
  if (!rw.ok()) return 0;
  switch (rw->kind) {
    case iscsi::scsi::RwKind::write:
    case iscsi::scsi::RwKind::write_and_verify:
    case iscsi::scsi::RwKind::orwrite: {
      const std::uint64_t bytes = std::uint64_t{rw->transfer_length} * LogicalUnit::kBlockSize;
      return static_cast<std::uint32_t>(std::min<std::uint64_t>(bytes, 0xffffffffu));
    }
    case iscsi::scsi::RwKind::read:
    case iscsi::scsi::RwKind::verify:
    case iscsi::scsi::RwKind::prefetch:
      return 0;
  }
  return 0;
}

}  // namespace

PortImpl::PortImpl(PortSetup setup, std::shared_ptr<const CommandTable> table)
    : timers_(*setup.timers) {
  auto context = std::make_shared<PortContext>();
  context->target_name = setup.target_name;
  context->tid = setup.tid;
  context->table = std::move(table);
  context_ = std::move(context);
  LogicalUnitSetup controller;
  controller.lun = 0;
  controller.type = DeviceType::controller;
  controller.identity.product = "Controller";
  controller.identity = default_identity(std::move(controller.identity), setup.tid, 0);
  lus_.emplace(0, std::make_shared<LogicalUnit>(std::move(controller)));
  for (auto& lun : setup.luns) lus_.emplace(lun.lun, make_disk(std::move(lun)));
  publish_luns();
}

std::shared_ptr<LogicalUnit> PortImpl::make_disk(LunSetup lun) const {
  LogicalUnitSetup disk;
  disk.lun = lun.lun;
  disk.store = std::move(lun.store);
  // SBC-3 §4.7: a thin LU answers GET LBA STATUS from what UNMAP, WRITE SAME with UNMAP and
  // SANITIZE deallocated, so its store is wrapped in the allocation tracker. Blocks start out
  // mapped unless the server knows the store is empty: a file's contents are data we must not
  // claim are zeros (allocation_tracker.hpp).
  if (lun.flags.thin_provisioning && disk.store && !backing::tracked_state(disk.store.get())) {
    disk.store = backing::make_tracked_store(std::move(disk.store),
                                             lun.initially_deallocated
                                                 ? backing::InitialAllocation::deallocated
                                                 : backing::InitialAllocation::mapped);
  }
  disk.size_bytes = lun.size_bytes;
  disk.lbppbe = lun.lbppbe;
  disk.sanitize_min_duration = lun.sanitize_min_duration;
  disk.flags = lun.flags;
  disk.identity = default_identity(std::move(lun.identity), context_->tid, lun.lun);
  return std::make_shared<LogicalUnit>(std::move(disk));
}

void PortImpl::publish_luns() {
  auto context = std::make_shared<PortContext>(*context_);
  context->luns.clear();
  for (const auto& [number, lu] : lus_) context->luns.push_back(number);
  context_ = std::move(context);
}

void PortImpl::report_luns_changed(std::optional<std::uint16_t> except) {
  for (auto& [number, lu] : lus_) {
    if (except && *except == number) continue;
    lu->add_unit_attention_all(asc::kReportedLunsDataHasChanged);
  }
}

bool PortImpl::add_lun(LunSetup lun) {
  if (lun.lun == 0 || lun.lun > pdu::Lun::kMaxFlatNumber || lus_.count(lun.lun) != 0) {
    return false;
  }
  const std::uint16_t number = lun.lun;
  auto lu = make_disk(std::move(lun));
  for (const auto& [id, nexus] : nexuses_) lu->nexus_added(nexus);
  report_luns_changed(std::nullopt);
  lus_.emplace(number, std::move(lu));
  publish_luns();
  return true;
}

bool PortImpl::remove_lun(std::uint16_t lun) {
  if (lun == 0 || lus_.erase(lun) == 0) return false;
  report_luns_changed(std::nullopt);
  publish_luns();
  return true;
}

std::shared_ptr<LogicalUnit> PortImpl::find_lu(pdu::Lun lun) const {
  const auto number = lun.to_number();
  if (!number) return nullptr;
  const auto it = lus_.find(*number);
  return it == lus_.end() ? nullptr : it->second;
}

Nexus PortImpl::nexus_of(NexusId id) const {
  const auto it = nexuses_.find(id);
  if (it != nexuses_.end()) return it->second;
  Nexus unknown;
  unknown.id = id;
  return unknown;
}

bool PortImpl::has_lun(pdu::Lun lun) const { return find_lu(lun) != nullptr; }

void PortImpl::execute(Command command, CommandDone done) {
  auto lu = find_lu(command.lun);
  const Nexus nexus = nexus_of(command.nexus);
  auto task = std::make_shared<Task>(std::move(command), nexus, std::move(lu), context_, timers_,
                                     std::move(done), std::weak_ptr<void>(alive_));
  const CommandInfo* info = context_->table->find_for_cdb(task->cdb());
  // SPC-4 §6.33: REPORT LUNS clears REPORTED LUNS DATA HAS CHANGED for this I_T nexus on
  // every logical unit (it answers the question the condition raised).
  if (info != nullptr && info->opcode == iscsi::scsi::op::kReportLuns) {
    for (auto& [number, unit] : lus_) {
      unit->drop_unit_attention(nexus.id, asc::kReportedLunsDataHasChanged);
    }
  }
  task->set_data_out_wanted(default_data_out_wanted(task->cdb()));
  task->set_inside_execute(true);
  run(task, info);
  task->set_inside_execute(false);
}

void PortImpl::run(const TaskPtr& task, const CommandInfo* info) {
  if (task->cdb().empty()) {
    task->fail_invalid_field_in_cdb(0);
    return;
  }
  // SAM-5 §5.14: an unknown LUN first; only INQUIRY, REPORT LUNS and REQUEST SENSE run there.
  if (!task->has_lu() && (info == nullptr || !info->runs_without_lu)) {
    task->complete_check_condition(SenseKey::illegal_request, asc::kLogicalUnitNotSupported);
    return;
  }
  if (task->has_lu() && report_unit_attention(task, info)) return;
  if (task->has_lu() && reject_during_sanitize(task, info)) return;
  if (reject_unsupported(task, info, *context_->table)) return;
  if (task->has_lu() && reservation_conflict(*task, *info)) {
    task->complete_reservation_conflict();
    return;
  }
  if (reject_reserved_bits(task, *info)) return;
  if (task->has_lu() && reject_medium_state(task, *info)) return;
  info->handler(task);
}

bool PortImpl::report_unit_attention(const TaskPtr& task, const CommandInfo* info) {
  // SAM-5 §5.14, SPC-4 §5.14: INQUIRY, REPORT LUNS and REQUEST SENSE neither report nor clear
  // a unit attention; every other command (unknown ones too) reports the oldest one.
  if (info != nullptr && info->ignores_unit_attention) return false;
  const auto code = task->lu().pop_unit_attention(task->nexus().id);
  if (!code) return false;
  task->complete_check_condition(SenseKey::unit_attention, *code);
  return true;
}

bool PortImpl::reject_during_sanitize(const TaskPtr& task, const CommandInfo* info) {
  // SBC-4 §4.11: while a sanitize operation runs, only INQUIRY, REPORT LUNS and REQUEST
  // SENSE are processed; everything else (TEST UNIT READY included) is terminated.
  if (!task->lu().sanitize_in_progress()) return false;
  if (info != nullptr && info->runs_during_sanitize) return false;
  SenseData sense;
  sense.key = SenseKey::not_ready;
  sense.code = asc::kNotReadySanitizeInProgress;
  sense.progress = task->lu().sanitize_progress();
  task->complete_check_condition(sense);
  return true;
}

bool PortImpl::reject_unsupported(const TaskPtr& task, const CommandInfo* info,
                                  const CommandTable& table) {
  const std::uint8_t opcode = task->cdb()[0];
  if (info == nullptr && table.knows_opcode(opcode)) {
    // SPC-4 §4.2.5.1: an unsupported service action is an invalid field (byte 1, bits 4-0).
    task->fail_invalid_field_in_cdb(1, 4);
    return true;
  }
  // tgt's LUN 0 answers medium access commands as unsupported operation codes too.
  if (info == nullptr || (task->has_lu() && task->lu().is_controller() &&
                          !info->allowed_on_controller)) {
    task->complete_check_condition(SenseKey::illegal_request, asc::kInvalidCommandOperationCode);
    return true;
  }
  if (task->cdb().size() < info->cdb_length) {
    task->fail_invalid_field_in_cdb(0);
    return true;
  }
  return false;
}

bool PortImpl::reject_reserved_bits(const TaskPtr& task, const CommandInfo& info) {
  if (!info.check_reserved_bits) return false;
  const ByteView cdb = task->cdb();
  const std::size_t length = std::min<std::size_t>(info.cdb_usage.size(), info.cdb_length);
  for (std::size_t i = 1; i < length; ++i) {
    const auto extra = static_cast<std::uint8_t>(cdb[i] & ~info.cdb_usage[i]);
    if (extra == 0) continue;
    std::uint8_t bit = 7;
    while ((extra & (1u << bit)) == 0) --bit;
    // SPC-4 §4.5.2.4.2: point at the most significant offending bit.
    task->fail_invalid_field_in_cdb(static_cast<std::uint16_t>(i), bit);
    return true;
  }
  return false;
}

bool PortImpl::reservation_conflict(const Task& task, const CommandInfo& info) {
  const LogicalUnit& lu = task.lu();
  const Nexus& nexus = task.nexus();
  // SPC-2 §5.5.1: RESERVE(6) held by another nexus.
  if (lu.reserve6_holder && *lu.reserve6_holder != nexus.id && !info.allowed_under_reserve6) {
    return true;
  }
  const PrState& pr = lu.pr();
  if (!pr.reserved() || info.pr_access == PrAccess::allowed) return false;
  // SPC-4 §5.13.1, table 56: the holder, and registrants for the registrants-only and
  // all-registrants types, access the medium freely.
  if (pr.is_holder(nexus)) return false;
  if (pr_type_admits_registrants(*pr.type) && pr.is_registered(nexus)) return false;
  if (info.pr_access == PrAccess::conflicts) return true;
  return pr_type_is_exclusive_access(*pr.type);
}

bool PortImpl::reject_medium_state(const TaskPtr& task, const CommandInfo& info) {
  const LogicalUnit& lu = task->lu();
  if (info.needs_medium && !lu.medium_present()) {
    task->complete_check_condition(SenseKey::not_ready, asc::kMediumNotPresent);
    return true;
  }
  if (info.writes_medium && lu.write_protected()) {
    // A readonly LUN answers WRITE PROTECTED as tgt does; the control page's SWP bit
    // (SPC-4 §7.5.8) the more specific LOGICAL UNIT SOFTWARE WRITE PROTECTED.
    task->complete_check_condition(SenseKey::data_protect, lu.flags().readonly
                                                               ? asc::kWriteProtected
                                                               : asc::kSoftwareWriteProtected);
    return true;
  }
  return false;
}

void PortImpl::nexus_added(const Nexus& nexus) {
  nexuses_[nexus.id] = nexus;
  for (auto& [number, lu] : lus_) lu->nexus_added(nexus);
}

void PortImpl::nexus_removed(NexusId nexus) {
  nexuses_.erase(nexus);
  for (auto& [number, lu] : lus_) lu->nexus_removed(nexus);
}

void PortImpl::reset_target(NexusId issuer, bool cold) {
  for (auto& [number, lu] : lus_) {
    lu->reset();
    // SAM-5 §6.3.2: a hard reset tells every other I_T nexus; a cold reset also ends the
    // issuer's session, which learns of it at its next login.
    lu->add_unit_attention_all(asc::kPowerOnResetOrBusDeviceReset,
                               cold ? std::nullopt : std::optional<NexusId>(issuer));
  }
}

bool PortImpl::task_management(NexusId nexus, TaskManagement function, pdu::Lun lun) {
  switch (function) {
    case TaskManagement::target_warm_reset:
      reset_target(nexus, false);
      return true;
    case TaskManagement::target_cold_reset:
      reset_target(nexus, true);
      return true;
    case TaskManagement::logical_unit_reset: {
      const auto lu = find_lu(lun);
      if (!lu) return false;
      lu->reset();
      // SAM-5 §6.3.3: the reset establishes BUS DEVICE RESET FUNCTION OCCURRED for every
      // I_T nexus, the issuer's included (as tgt does; libiscsi's MultipathIO.Reset checks
      // each path, the resetting one too).
      lu->add_unit_attention_all(asc::kBusDeviceResetFunctionOccurred, std::nullopt);
      return true;
    }
    case TaskManagement::abort_task:
    case TaskManagement::abort_task_set:
    case TaskManagement::clear_aca:
    case TaskManagement::clear_task_set:
      // The control page reports TST 000b (a task set per I_T nexus), so these touch only the
      // issuer's own tasks, which the session layer aborts: no other nexus is told.
      return find_lu(lun) != nullptr;
  }
  return false;
}

}  // namespace iscsi::target::scsi
