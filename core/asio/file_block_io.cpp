#include "core/asio/file_block_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>

namespace iscsi::asio {
namespace {

constexpr ViolationKind kOpenFailed{"blockio.open-failed", "POSIX open(2)", Severity::fatal};
constexpr ViolationKind kIoError{"blockio.io-error", "SBC-3 §4.5", Severity::fatal};
constexpr ViolationKind kOutOfRange{"blockio.out-of-range", "SBC-3 §4.5", Severity::fatal};
constexpr ViolationKind kQueueFull{"blockio.queue-full", "runtime interface", Severity::fatal};
// Zeros written per call when the file system cannot punch holes.
constexpr std::size_t kZeroChunk = 64 * 1024;

Violation io_error(std::string_view what, std::uint64_t offset, int error) {
  return Violation{kIoError, fmt::format("{} at offset {} failed: {}", what, offset,
                                         std::strerror(error))};
}

}  // namespace

struct FileBlockIo::File {
  int fd = -1;
  std::uint64_t size = 0;
  // Cleared when the file system refuses RWF_NOWAIT: every read then goes to the pool.
  bool try_cached_reads = true;
  ~File() {
    if (fd >= 0) ::close(fd);
  }
};

namespace {

Result<void> pread_all(int fd, std::uint64_t offset, MutableByteView out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(fd, out.data() + done, out.size() - done,
                              static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("pread", offset + done, errno);
    if (n == 0) return io_error("pread", offset + done, EIO);  // file shrank under us
    done += static_cast<std::size_t>(n);
  }
  return success();
}

Result<void> pwrite_all(int fd, std::uint64_t offset, ByteView data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::pwrite(fd, data.data() + done, data.size() - done,
                               static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return io_error("pwrite", offset + done, n < 0 ? errno : EIO);
    done += static_cast<std::size_t>(n);
  }
  return success();
}

Result<void> zero_range(int fd, std::uint64_t offset, std::uint64_t length) {
  const int mode = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
  if (::fallocate(fd, mode, static_cast<off_t>(offset), static_cast<off_t>(length)) == 0) {
    return success();
  }
  if (errno != EOPNOTSUPP) return io_error("fallocate(PUNCH_HOLE)", offset, errno);
  // No hole punching here (e.g. some network file systems): write zeros instead.
  const Bytes zeros(kZeroChunk, 0);
  for (std::uint64_t at = offset; at < offset + length; at += kZeroChunk) {
    const std::uint64_t n = std::min<std::uint64_t>(kZeroChunk, offset + length - at);
    const Result<void> r = pwrite_all(fd, at, ByteView(zeros).first(static_cast<std::size_t>(n)));
    if (!r.ok()) return r;
  }
  return success();
}

}  // namespace

Result<std::unique_ptr<FileBlockIo>> FileBlockIo::open(boost::asio::io_context& io,
                                                       WorkerPool& pool,
                                                       const std::string& path,
                                                       FileBlockIoOptions options) {
  auto file = std::make_shared<File>();
  file->fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  struct stat info {};
  if (file->fd < 0 || ::fstat(file->fd, &info) != 0) {
    return Violation{kOpenFailed, fmt::format("cannot open {}: {}", path, std::strerror(errno))};
  }
  file->size = static_cast<std::uint64_t>(info.st_size);
  return std::unique_ptr<FileBlockIo>(new FileBlockIo(io, pool, std::move(file), options));
}

FileBlockIo::FileBlockIo(boost::asio::io_context& io, WorkerPool& pool,
                         std::shared_ptr<File> file, FileBlockIoOptions options)
    : io_(io), pool_(pool), file_(std::move(file)), options_(options) {}

std::uint64_t FileBlockIo::size_bytes() const { return file_->size; }

Result<void> FileBlockIo::check_range(std::uint64_t offset, std::uint64_t length) const {
  if (offset > file_->size || length > file_->size - offset) {
    return Violation{kOutOfRange, fmt::format("range {}+{} is beyond the {}-byte store", offset,
                                              length, file_->size)};
  }
  return success();
}

void FileBlockIo::run(std::function<Result<void>()> job, runtime::IoCallback done) {
  // The work guard keeps run() from returning while a job is still on the pool.
  auto guard = std::make_shared<boost::asio::executor_work_guard<
      boost::asio::io_context::executor_type>>(io_.get_executor());
  auto callback = std::make_shared<runtime::IoCallback>(std::move(done));
  const bool queued = pool_.submit([io = &io_, job = std::move(job), callback, guard] {
    Result<void> result = job();
    boost::asio::post(*io, [callback, result = std::move(result)] { (*callback)(result); });
    guard->reset();
  });
  if (!queued) {
    boost::asio::post(io_, [callback] {
      (*callback)(Violation{kQueueFull, "too many block I/O operations are pending"});
    });
  }
}

// Reads what the page cache holds on the loop thread with preadv2(RWF_NOWAIT), which never
// waits for the disk: it copies cached pages or fails with EAGAIN. Only the rest of the range
// goes to the pool, so a warm file costs no thread hand-off (two wake-ups) per read, and a
// cold one still never stalls the loop. The callback is posted either way, never run inside
// read() (core/runtime/block_io.hpp).
std::size_t FileBlockIo::read_cached(std::uint64_t offset, MutableByteView out) {
  std::size_t done = 0;
  if (out.size() > options_.cached_read_max_bytes) return done;
  while (file_->try_cached_reads && done < out.size()) {
    iovec vector{out.data() + done, out.size() - done};
    const ssize_t n =
        ::preadv2(file_->fd, &vector, 1, static_cast<off_t>(offset + done), RWF_NOWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EOPNOTSUPP || errno == ENOSYS || errno == EINVAL)) {
      file_->try_cached_reads = false;
    }
    if (n <= 0) break;  // EAGAIN: not cached; errors and EOF are reported by the pool's read
    done += static_cast<std::size_t>(n);
  }
  return done;
}

void FileBlockIo::read(std::uint64_t offset, MutableByteView out, runtime::IoCallback done) {
  if (Result<void> r = check_range(offset, out.size()); !r.ok()) {
    boost::asio::post(io_, [done = std::move(done), r] { done(r); });
    return;
  }
  const std::size_t cached = read_cached(offset, out);
  if (cached == out.size()) {
    boost::asio::post(io_, [done = std::move(done)] { done(success()); });
    return;
  }
  const MutableByteView rest = out.subspan(cached);
  run([file = file_, at = offset + cached, rest] { return pread_all(file->fd, at, rest); },
      std::move(done));
}

void FileBlockIo::write(std::uint64_t offset, ByteView data, runtime::IoCallback done) {
  if (Result<void> r = check_range(offset, data.size()); !r.ok()) {
    boost::asio::post(io_, [done = std::move(done), r] { done(r); });
    return;
  }
  auto copy = std::make_shared<Bytes>(data.begin(), data.end());
  run([file = file_, offset, copy] { return pwrite_all(file->fd, offset, *copy); },
      std::move(done));
}

void FileBlockIo::flush(runtime::IoCallback done) {
  run(
      [file = file_]() -> Result<void> {
        if (::fdatasync(file->fd) != 0) return io_error("fdatasync", 0, errno);
        return success();
      },
      std::move(done));
}

void FileBlockIo::unmap(std::uint64_t offset, std::uint64_t length, runtime::IoCallback done) {
  if (Result<void> r = check_range(offset, length); !r.ok()) {
    boost::asio::post(io_, [done = std::move(done), r] { done(r); });
    return;
  }
  run([file = file_, offset, length] { return zero_range(file->fd, offset, length); },
      std::move(done));
}

}  // namespace iscsi::asio
