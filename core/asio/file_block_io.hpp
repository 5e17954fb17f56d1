#pragma once
// BlockIo over a file (or block device): pread/pwrite/fdatasync/fallocate(PUNCH_HOLE) on the
// worker pool, with each completion posted back to the io_context so callbacks run on the loop.
#include <memory>
#include <string>

#include "core/asio/boost_asio.hpp"
#include "core/asio/worker_pool.hpp"
#include "core/runtime/block_io.hpp"

namespace iscsi::asio {

class FileBlockIo final : public runtime::BlockIo {
 public:
  // Opens an existing file read-write; its current size is the LUN size.
  static Result<std::unique_ptr<FileBlockIo>> open(boost::asio::io_context& io, WorkerPool& pool,
                                                   const std::string& path);

  std::uint64_t size_bytes() const override;
  void read(std::uint64_t offset, MutableByteView out, runtime::IoCallback done) override;
  void write(std::uint64_t offset, ByteView data, runtime::IoCallback done) override;
  void flush(runtime::IoCallback done) override;
  void unmap(std::uint64_t offset, std::uint64_t length, runtime::IoCallback done) override;

  struct File;  // the descriptor, shared with jobs still in flight

 private:
  FileBlockIo(boost::asio::io_context& io, WorkerPool& pool, std::shared_ptr<File> file);
  // Runs `job` on the pool and `done` with its result on the loop thread.
  void run(std::function<Result<void>()> job, runtime::IoCallback done);
  Result<void> check_range(std::uint64_t offset, std::uint64_t length) const;

  boost::asio::io_context& io_;
  WorkerPool& pool_;
  std::shared_ptr<File> file_;
};

}  // namespace iscsi::asio
