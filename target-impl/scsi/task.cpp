// Completion of one command (task.hpp).
#include "target-impl/scsi/task.hpp"

#include <utility>

namespace iscsi::target::scsi {

Task::Task(Command command, const Nexus& nexus, std::shared_ptr<LogicalUnit> lu,
           std::shared_ptr<const PortContext> port, runtime::TimerService& timers,
           CommandDone done, std::weak_ptr<void> port_alive)
    : command_(std::move(command)),
      nexus_(nexus),
      lu_(std::move(lu)),
      port_(std::move(port)),
      timers_(timers),
      done_(std::move(done)),
      port_alive_(std::move(port_alive)) {}

void Task::complete_good(Bytes data_in) {
  CommandResult result;
  result.data_in = std::move(data_in);
  complete(std::move(result));
}

void Task::complete_check_condition(SenseKey key, AdditionalSense code, SenseDetail detail) {
  SenseData sense;
  sense.key = key;
  sense.code = code;
  sense.information = detail.information;
  sense.field = detail.field;
  complete_check_condition(sense);
}

void Task::complete_check_condition(const SenseData& sense) {
  const auto format = lu_ ? lu_->sense_format() : iscsi::scsi::SenseFormat::fixed;
  CommandResult result;
  result.status = kStatusCheckCondition;
  result.sense = iscsi::scsi::build_sense(sense, format);
  complete(std::move(result));
}

void Task::fail_invalid_field_in_cdb(std::uint16_t byte, std::optional<std::uint8_t> bit) {
  complete_check_condition(SenseKey::illegal_request, asc::kInvalidFieldInCdb,
                           SenseDetail{std::nullopt, cdb_field(byte, bit)});
}

void Task::fail_invalid_field_in_parameter_list(std::uint16_t byte,
                                                std::optional<std::uint8_t> bit) {
  complete_check_condition(SenseKey::illegal_request, asc::kInvalidFieldInParameterList,
                           SenseDetail{std::nullopt, parameter_field(byte, bit)});
}

void Task::complete_reservation_conflict() {
  CommandResult result;
  result.status = kStatusReservationConflict;
  complete(std::move(result));
}

void Task::complete(CommandResult result) {
  if (completed_) return;  // exactly once: a second completion is a handler bug, ignored
  completed_ = true;
  if (result.data_out_wanted == 0) result.data_out_wanted = data_out_wanted_;
  if (port_alive_.expired()) return;
  CommandDone done = std::move(done_);
  if (!inside_execute_) {
    done(std::move(result));
    return;
  }
  // port.hpp: `done` never runs from inside Port::execute().
  std::weak_ptr<void> alive = port_alive_;
  timers_.schedule_after(runtime::Duration{0},
                         [alive, done = std::move(done), result = std::move(result)]() mutable {
                           if (!alive.expired()) done(std::move(result));
                         });
}

void truncate_to_allocation(Bytes& data, std::uint32_t allocation_length) {
  if (data.size() > allocation_length) data.resize(allocation_length);
}

}  // namespace iscsi::target::scsi
