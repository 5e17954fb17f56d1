#pragma once
// BlockIo over a file (or block device): pread/pwrite/fdatasync/fallocate(PUNCH_HOLE) on the
// worker pool, with each completion posted back to the io_context so callbacks run on the loop.
// Reads of pages already in the page cache are served on the loop thread without blocking
// (preadv2 with RWF_NOWAIT); only the uncached rest goes to the pool.
#include <memory>
#include <string>

#include "core/asio/boost_asio.hpp"
#include "core/asio/worker_pool.hpp"
#include "core/runtime/block_io.hpp"

namespace iscsi::asio {

struct FileBlockIoOptions {
  // Largest read tried from the page cache on the loop thread (0: every read goes to the pool).
  // Larger reads go to the pool, where their copy runs beside the loop's socket sends.
  std::size_t cached_read_max_bytes = 64 * 1024;
};

class FileBlockIo final : public runtime::BlockIo {
 public:
  // Opens an existing file read-write; its current size is the LUN size.
  static Result<std::unique_ptr<FileBlockIo>> open(boost::asio::io_context& io, WorkerPool& pool,
                                                   const std::string& path,
                                                   FileBlockIoOptions options = {});

  std::uint64_t size_bytes() const override;
  void read(std::uint64_t offset, MutableByteView out, runtime::IoCallback done) override;
  void write(std::uint64_t offset, ByteView data, runtime::IoCallback done) override;
  void flush(runtime::IoCallback done) override;
  void unmap(std::uint64_t offset, std::uint64_t length, runtime::IoCallback done) override;

  struct File;  // the descriptor, shared with jobs still in flight

 private:
  FileBlockIo(boost::asio::io_context& io, WorkerPool& pool, std::shared_ptr<File> file,
              FileBlockIoOptions options);
  // Runs `job` on the pool and `done` with its result on the loop thread.
  void run(std::function<Result<void>()> job, runtime::IoCallback done);
  // Copies what the page cache holds of [offset, offset + out.size()) without blocking;
  // returns the bytes read, from the start of `out`.
  std::size_t read_cached(std::uint64_t offset, MutableByteView out);
  Result<void> check_range(std::uint64_t offset, std::uint64_t length) const;

  boost::asio::io_context& io_;
  WorkerPool& pool_;
  std::shared_ptr<File> file_;
  FileBlockIoOptions options_;
};

}  // namespace iscsi::asio
