#include "target-impl/server/backing_store_factory.hpp"

#include <fmt/format.h>

#include "target-impl/scsi/backing/null_store.hpp"
#include "target-impl/scsi/backing/sparse_memory_store.hpp"
#include "target-impl/server/server_violations.hpp"

namespace iscsi::target::server {

Result<std::unique_ptr<runtime::BlockIo>> StandardBackingStores::open_file(
    const std::string& path) {
  if (!open_file_) {
    return Violation{violations::kBackingStore,
                     fmt::format("cannot open {}: this runtime has no file stores", path)};
  }
  return open_file_(path);
}

Result<std::unique_ptr<runtime::BlockIo>> StandardBackingStores::make_ram(
    std::uint64_t size_bytes) {
  auto store = scsi::backing::SparseMemoryStore::create(timers_, {.size_bytes = size_bytes});
  if (!store.ok()) return store.error();
  return std::unique_ptr<runtime::BlockIo>(std::move(store).value());
}

Result<std::unique_ptr<runtime::BlockIo>> StandardBackingStores::make_null(
    std::uint64_t size_bytes) {
  auto store = scsi::backing::NullStore::create(timers_, size_bytes);
  if (!store.ok()) return store.error();
  return std::unique_ptr<runtime::BlockIo>(std::move(store).value());
}

}  // namespace iscsi::target::server
