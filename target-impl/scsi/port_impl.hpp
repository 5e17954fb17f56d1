#pragma once
// The Port of one target (make_port.hpp): finds the logical unit, applies the checks every
// command goes through before its handler (SAM-5 §5.14), and runs the handler from the
// CommandTable.
#include <map>
#include <memory>

#include "core/runtime/timer_service.hpp"
#include "target-impl/scsi/command_table.hpp"
#include "target-impl/scsi/logical_unit.hpp"
#include "target-impl/scsi/make_port.hpp"
#include "target-impl/scsi/port.hpp"
#include "target-impl/scsi/task.hpp"

namespace iscsi::target::scsi {

class PortImpl final : public ConfigurablePort {
 public:
  PortImpl(PortSetup setup, std::shared_ptr<const CommandTable> table);

  void execute(Command command, CommandDone done) override;
  void nexus_added(const Nexus& nexus) override;
  void nexus_removed(NexusId nexus) override;
  bool task_management(NexusId nexus, TaskManagement function, pdu::Lun lun) override;
  bool has_lun(pdu::Lun lun) const override;
  bool add_lun(LunSetup lun) override;
  bool remove_lun(std::uint16_t lun) override;

 private:
  std::shared_ptr<LogicalUnit> make_disk(LunSetup lun) const;
  // Tasks keep the context they started with; a LUN change publishes a new one.
  void publish_luns();
  void report_luns_changed(std::optional<std::uint16_t> except);
  std::shared_ptr<LogicalUnit> find_lu(pdu::Lun lun) const;
  Nexus nexus_of(NexusId id) const;
  // Each answers the command (and returns true) when its check fails.
  static bool report_unit_attention(const TaskPtr& task, const CommandInfo* info);
  static bool reject_during_sanitize(const TaskPtr& task, const CommandInfo* info);
  static bool reject_unsupported(const TaskPtr& task, const CommandInfo* info,
                                 const CommandTable& table);
  static bool reject_reserved_bits(const TaskPtr& task, const CommandInfo& info);
  static bool reservation_conflict(const Task& task, const CommandInfo& info);
  static bool reject_medium_state(const TaskPtr& task, const CommandInfo& info);
  void run(const TaskPtr& task, const CommandInfo* info);
  void reset_target(NexusId issuer, bool cold);

  runtime::TimerService& timers_;
  std::shared_ptr<const PortContext> context_;
  std::map<std::uint16_t, std::shared_ptr<LogicalUnit>> lus_;
  std::map<NexusId, Nexus> nexuses_;
  // Expires with the Port: completions of Tasks still in flight are then dropped (port.hpp).
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace iscsi::target::scsi
