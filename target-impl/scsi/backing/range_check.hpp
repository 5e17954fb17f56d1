#pragma once
// The range check every backing store applies before it touches data: a request that runs past
// the end of the store fails with "blockio.out-of-range" and changes nothing. The SBC layer
// checks LBAs against the capacity first (ILLEGAL REQUEST 21/00), so reaching this is our bug or
// a store that shrank underneath us, never an initiator's doing.
#include <cstdint>
#include <string_view>

#include "core/common/result.hpp"

namespace iscsi::target::scsi::backing {

inline constexpr ViolationKind kOutOfRange{"blockio.out-of-range", "SBC-3 §4.5",
                                           Severity::recoverable};

// `store` names the store in the detail sentence ("sparse memory store").
Result<void> check_range(std::string_view store, std::uint64_t offset, std::uint64_t length,
                         std::uint64_t size_bytes);

}  // namespace iscsi::target::scsi::backing
