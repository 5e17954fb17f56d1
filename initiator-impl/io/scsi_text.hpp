#pragma once
// SCSI outcomes in words for people: status names (SAM-5 §5.3), sense keys and additional
// sense codes (SPC-4 §4.5.6, tables 48 and 49), and one sentence for a completed command.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/scsi/sense.hpp"
#include "initiator-impl/session/session_engine.hpp"

namespace iscsi::initiator::io {

inline constexpr std::uint8_t kStatusGood = 0x00;
inline constexpr std::uint8_t kStatusCheckCondition = 0x02;

// "CHECK CONDITION"; "0x42" for a code SAM-5 does not name.
std::string status_name(std::uint8_t status);
// "ILLEGAL REQUEST".
std::string_view sense_key_name(scsi::SenseKey key);
// "LOGICAL BLOCK ADDRESS OUT OF RANGE (ASC 0x21, ASCQ 0x00)"; the codes alone when unnamed.
std::string additional_sense_text(scsi::AdditionalSense code);

// Why a completed command did not succeed, or an empty string when it did (iSCSI response
// "command completed at target" and status GOOD): the failure reason, the iSCSI response, or
// the SCSI status with its sense key, ASC and ASCQ in words.
std::string command_problem(const session::CommandCompleted& completed);
// True for CHECK CONDITION with sense key UNIT ATTENTION.
bool is_unit_attention(const session::CommandCompleted& completed);

}  // namespace iscsi::initiator::io
