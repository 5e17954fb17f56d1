#pragma once
// Handlers of the SPC-4 commands (register_spc.cpp puts them in the CommandTable).
#include "target-impl/scsi/task.hpp"

namespace iscsi::target::scsi::spc {

void inquiry(const TaskPtr& task);                // inquiry.cpp, vpd.cpp
void report_luns(const TaskPtr& task);            // report_luns.cpp
void test_unit_ready(const TaskPtr& task);        // request_sense.cpp
void request_sense(const TaskPtr& task);          // request_sense.cpp
void mode_sense6(const TaskPtr& task);            // mode_sense.cpp
void mode_sense10(const TaskPtr& task);           // mode_sense.cpp
void mode_select6(const TaskPtr& task);           // mode_select.cpp
void mode_select10(const TaskPtr& task);          // mode_select.cpp
void start_stop_unit(const TaskPtr& task);        // start_stop.cpp
void prevent_allow_medium_removal(const TaskPtr& task);  // start_stop.cpp
void reserve(const TaskPtr& task);                // reserve.cpp: RESERVE(6) and (10)
void release(const TaskPtr& task);                // reserve.cpp: RELEASE(6) and (10)
void persistent_reserve_in(const TaskPtr& task);  // persistent_reserve_in.cpp
void persistent_reserve_out(const TaskPtr& task);  // persistent_reserve_out.cpp
void report_supported_operation_codes(const TaskPtr& task);  // report_opcodes.cpp

// PERSISTENT RESERVE OUT PREEMPT and PREEMPT AND ABORT, after the common checks
// (persistent_reserve_preempt.cpp).
void persistent_reserve_out_preempt(const TaskPtr& task, std::uint64_t key,
                                    std::uint64_t action_key, PrType type);

// INQUIRY with EVPD set (vpd.cpp).
void inquiry_vpd(const TaskPtr& task, std::uint8_t page_code, std::uint32_t allocation_length);

}  // namespace iscsi::target::scsi::spc
