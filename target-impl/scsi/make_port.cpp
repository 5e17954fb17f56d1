// make_port: the command table and the Port of one target (make_port.hpp).
#include "target-impl/scsi/make_port.hpp"

#include <utility>

#include "target-impl/scsi/command_table.hpp"
#include "target-impl/scsi/port_impl.hpp"

namespace iscsi::target::scsi {

std::unique_ptr<ConfigurablePort> make_port(PortSetup setup) {
  auto table = std::make_shared<CommandTable>();
  register_spc_commands(*table);
#ifdef ISCSI_HAVE_SBC
  register_sbc_commands(*table);
#endif
  return std::make_unique<PortImpl>(std::move(setup), std::move(table));
}

}  // namespace iscsi::target::scsi
