#include "target-impl/scsi/backing/null_store.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "target-impl/scsi/backing/complete_later.hpp"
#include "target-impl/scsi/backing/limits.hpp"
#include "target-impl/scsi/backing/range_check.hpp"

namespace iscsi::target::scsi::backing {
namespace {

constexpr std::string_view kStoreName = "null store";
constexpr ViolationKind kBadSize{"blockio.bad-size", "SBC-3 §4.5", Severity::recoverable};
constexpr runtime::Duration kNoLatency{0};

}  // namespace

Result<std::unique_ptr<NullStore>> NullStore::create(runtime::TimerService& timers,
                                                     std::uint64_t size_bytes) {
  if (size_bytes > kMaxNullStoreBytes) {
    return Violation{kBadSize, fmt::format("{}: size {} bytes exceeds the limit of {} bytes",
                                           kStoreName, size_bytes, kMaxNullStoreBytes)};
  }
  return std::unique_ptr<NullStore>(new NullStore(timers, size_bytes));
}

void NullStore::read(std::uint64_t offset, MutableByteView out, runtime::IoCallback done) {
  auto checked = check_range(kStoreName, offset, out.size(), size_bytes_);
  if (checked) std::fill(out.begin(), out.end(), std::uint8_t{0});
  complete_later(timers_, kNoLatency, std::move(done), std::move(checked));
}

void NullStore::write(std::uint64_t offset, ByteView data, runtime::IoCallback done) {
  complete_later(timers_, kNoLatency, std::move(done),
                 check_range(kStoreName, offset, data.size(), size_bytes_));
}

void NullStore::flush(runtime::IoCallback done) {
  complete_later(timers_, kNoLatency, std::move(done), success());
}

void NullStore::unmap(std::uint64_t offset, std::uint64_t length, runtime::IoCallback done) {
  complete_later(timers_, kNoLatency, std::move(done),
                 check_range(kStoreName, offset, length, size_bytes_));
}

}  // namespace iscsi::target::scsi::backing
