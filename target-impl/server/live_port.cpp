#include "target-impl/server/live_port.hpp"

#include <algorithm>
#include <utility>

namespace iscsi::target::server {

LivePort::LivePort(std::unique_ptr<scsi::Port> inner)
    : current_(std::make_shared<Generation>(Generation{std::move(inner), 0})) {}

LivePort::~LivePort() = default;

void LivePort::replace(std::unique_ptr<scsi::Port> next) {
  // Retired Ports whose commands all completed can go now: this runs from a configuration
  // change, never from inside one of their completions.
  std::erase_if(retired_, [](const std::shared_ptr<Generation>& generation) {
    return generation->outstanding == 0;
  });
  if (current_->outstanding > 0) retired_.push_back(current_);
  current_ = std::make_shared<Generation>(Generation{std::move(next), 0});
  for (const auto& [id, nexus] : nexuses_) current_->port->nexus_added(nexus);
}

void LivePort::execute(scsi::Command command, scsi::CommandDone done) {
  std::shared_ptr<Generation> generation = current_;
  ++generation->outstanding;
  // The completion holds the Generation weakly: if the Port is gone, so is the count.
  std::weak_ptr<Generation> weak = generation;
  generation->port->execute(std::move(command),
                            [weak, done = std::move(done)](scsi::CommandResult result) {
                              if (auto alive = weak.lock()) --alive->outstanding;
                              done(std::move(result));
                            });
}

void LivePort::nexus_added(const scsi::Nexus& nexus) {
  nexuses_[nexus.id] = nexus;
  current_->port->nexus_added(nexus);
}

void LivePort::nexus_removed(scsi::NexusId nexus) {
  nexuses_.erase(nexus);
  current_->port->nexus_removed(nexus);
  for (const auto& generation : retired_) generation->port->nexus_removed(nexus);
}

bool LivePort::task_management(scsi::NexusId nexus, scsi::TaskManagement function,
                               pdu::Lun lun) {
  // Commands still running on a retired Port are aborted there too; whether the LUN exists is
  // the current Port's answer.
  for (const auto& generation : retired_) {
    static_cast<void>(generation->port->task_management(nexus, function, lun));
  }
  return current_->port->task_management(nexus, function, lun);
}

bool LivePort::has_lun(pdu::Lun lun) const { return current_->port->has_lun(lun); }

}  // namespace iscsi::target::server
