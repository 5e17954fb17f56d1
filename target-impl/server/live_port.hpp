#pragma once
// A target's scsi::Port that can change its logical units while sessions use it. tgtadm adds
// and deletes LUNs at run time, while make_port() builds a fixed set: so each change builds a
// new inner Port and switches to it. Commands already running finish on the Port they started
// on (a retired Port stays alive until its commands completed and the next change comes), and
// every known I_T nexus is added to the new Port, which reports the power-on unit attention
// to it (SPC-4 §6.9: the initiator then re-reads REPORT LUNS).
#include <cstddef>
#include <map>
#include <memory>
#include <vector>

#include "target-impl/scsi/port.hpp"

namespace iscsi::target::server {

class LivePort final : public scsi::Port {
 public:
  explicit LivePort(std::unique_ptr<scsi::Port> inner);
  ~LivePort() override;

  // New commands go to `next` from now on.
  void replace(std::unique_ptr<scsi::Port> next);
  // Ports kept after a change because commands were still running on them.
  std::size_t retired_ports() const { return retired_.size(); }

  void execute(scsi::Command command, scsi::CommandDone done) override;
  void nexus_added(const scsi::Nexus& nexus) override;
  void nexus_removed(scsi::NexusId nexus) override;
  bool task_management(scsi::NexusId nexus, scsi::TaskManagement function,
                       pdu::Lun lun) override;
  bool has_lun(pdu::Lun lun) const override;

 private:
  struct Generation {
    std::unique_ptr<scsi::Port> port;
    std::size_t outstanding = 0;  // commands started and not completed
  };

  std::shared_ptr<Generation> current_;
  std::vector<std::shared_ptr<Generation>> retired_;
  std::map<scsi::NexusId, scsi::Nexus> nexuses_;
};

}  // namespace iscsi::target::server
