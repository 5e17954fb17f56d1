#pragma once
// The SBC-3 command handlers, registered by register_sbc_commands (register_sbc.cpp). Each
// reads its own CDB fields; the Port has already checked the LUN, unit attentions, the opcode,
// reserved CDB bits, reservations, the medium and write protection (command_table.hpp).
#include "target-impl/scsi/task.hpp"

namespace iscsi::target::scsi::sbc {

// read_write.cpp
void read6(const TaskPtr& task);
void read10(const TaskPtr& task);
void read12(const TaskPtr& task);
void read16(const TaskPtr& task);
void write6(const TaskPtr& task);
void write10(const TaskPtr& task);
void write12(const TaskPtr& task);
void write16(const TaskPtr& task);
void write_and_verify10(const TaskPtr& task);
void write_and_verify12(const TaskPtr& task);
void write_and_verify16(const TaskPtr& task);
void write_atomic16(const TaskPtr& task);

// compare.cpp
void verify10(const TaskPtr& task);
void verify12(const TaskPtr& task);
void verify16(const TaskPtr& task);
void compare_and_write(const TaskPtr& task);
void orwrite16(const TaskPtr& task);

// capacity.cpp
void read_capacity10(const TaskPtr& task);
void read_capacity16(const TaskPtr& task);
void get_lba_status(const TaskPtr& task);

// provisioning.cpp
void write_same10(const TaskPtr& task);
void write_same16(const TaskPtr& task);
void unmap(const TaskPtr& task);

// cache.cpp
void synchronize_cache10(const TaskPtr& task);
void synchronize_cache16(const TaskPtr& task);
void prefetch10(const TaskPtr& task);
void prefetch16(const TaskPtr& task);
void read_defect_data10(const TaskPtr& task);
void read_defect_data12(const TaskPtr& task);

// sanitize.cpp
void sanitize(const TaskPtr& task);

}  // namespace iscsi::target::scsi::sbc
