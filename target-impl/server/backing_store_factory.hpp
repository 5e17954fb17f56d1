#pragma once
// Where a LUN's storage comes from. The server asks this interface for a store per configured
// LUN (tgtadm --bstype): a file or block device path (rdwr, aio), a sparse RAM store (ram, with
// the size in --backing-store) or tgt's bs_null. Files differ per runtime (core/asio's thread-pool
// BlockIo on real sockets, a simulated store in the simulator), RAM and null stores do not: the
// StandardBackingStores below makes those from target-impl/scsi/backing and delegates files.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/common/result.hpp"
#include "core/runtime/block_io.hpp"
#include "core/runtime/timer_service.hpp"

namespace iscsi::target::server {

class BackingStoreFactory {
 public:
  virtual ~BackingStoreFactory() = default;
  // An existing file or block device; the LUN's size is its size now.
  virtual Result<std::unique_ptr<runtime::BlockIo>> open_file(const std::string& path) = 0;
  // Sparse memory, zeros until written.
  virtual Result<std::unique_ptr<runtime::BlockIo>> make_ram(std::uint64_t size_bytes) = 0;
  // Reads return zeros, writes are discarded (tgt's bs_null).
  virtual Result<std::unique_ptr<runtime::BlockIo>> make_null(std::uint64_t size_bytes) = 0;
};

using FileOpener = std::function<Result<std::unique_ptr<runtime::BlockIo>>(const std::string&)>;

// RAM and null stores from target-impl/scsi/backing on `timers`; files through `open_file`.
class StandardBackingStores final : public BackingStoreFactory {
 public:
  StandardBackingStores(runtime::TimerService& timers, FileOpener open_file)
      : timers_(timers), open_file_(std::move(open_file)) {}

  Result<std::unique_ptr<runtime::BlockIo>> open_file(const std::string& path) override;
  Result<std::unique_ptr<runtime::BlockIo>> make_ram(std::uint64_t size_bytes) override;
  Result<std::unique_ptr<runtime::BlockIo>> make_null(std::uint64_t size_bytes) override;

 private:
  runtime::TimerService& timers_;
  FileOpener open_file_;
};

}  // namespace iscsi::target::server
