#include "target-impl/scsi/backing/range_check.hpp"

#include <fmt/format.h>

namespace iscsi::target::scsi::backing {

Result<void> check_range(std::string_view store, std::uint64_t offset, std::uint64_t length,
                         std::uint64_t size_bytes) {
  // Written without offset + length so that a huge length cannot wrap around.
  if (offset > size_bytes || length > size_bytes - offset) {
    return Violation{kOutOfRange,
                     fmt::format("{}: range of {} bytes at offset {} runs past its {} bytes",
                                 store, length, offset, size_bytes)};
  }
  return success();
}

}  // namespace iscsi::target::scsi::backing
