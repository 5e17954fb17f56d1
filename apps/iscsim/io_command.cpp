#include "apps/iscsim/io_command.hpp"

#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "initiator-impl/io/io_job.hpp"

namespace iscsim {
namespace {

namespace io = iscsi::initiator::io;

IoReply failure(int code, std::string_view sentence) {
  return {code, "", fmt::format("iscsim io: {}\n", sentence)};
}

std::optional<iscsi::Bytes> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return iscsi::Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool write_file(const std::string& path, const iscsi::Bytes& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  return static_cast<bool>(out);
}

// "00000000  de ad be ef ...  |....|", 16 bytes a line, offsets from --offset.
std::string hex_dump(const iscsi::Bytes& data, std::uint64_t base) {
  std::string out;
  for (std::size_t line = 0; line < data.size(); line += 16) {
    out += fmt::format("{:08x} ", base + line);
    std::string text;
    for (std::size_t i = line; i < line + 16; ++i) {
      if (i < data.size()) {
        out += fmt::format(" {:02x}", data[i]);
        text += (data[i] >= 0x20 && data[i] < 0x7f) ? static_cast<char>(data[i]) : '.';
      } else {
        out += "   ";
      }
    }
    out += fmt::format("  |{}|\n", text);
  }
  return out;
}

IoReply describe_success(const IoOptions& options, io::IoResult& result) {
  IoReply reply;
  const std::uint64_t lun = options.lun.value_or(0);
  switch (options.kind) {
    case io::JobKind::inquiry:
    case io::JobKind::read_capacity:
    case io::JobKind::report_luns:
    case io::JobKind::test_unit_ready:
      for (const std::string& line : result.lines) reply.out += line + "\n";
      if (result.lines.empty()) reply.out = fmt::format("LUN {}: ready\n", lun);
      return reply;
    case io::JobKind::write:
      reply.out = fmt::format("LUN {}: wrote {} bytes at offset {} in {} commands\n", lun,
                              result.bytes, options.offset, result.commands);
      return reply;
    case io::JobKind::verify:
      reply.out = fmt::format("LUN {}: verified {} bytes at offset {} in {} commands (pattern "
                              "seed {})\n",
                              lun, result.bytes, options.offset, result.commands,
                              options.pattern_seed);
      return reply;
    case io::JobKind::read:
      if (options.out_file) {
        if (!write_file(*options.out_file, result.data)) {
          return failure(kIoExitFailed, fmt::format("cannot write {}", *options.out_file));
        }
        reply.out = fmt::format("LUN {}: read {} bytes at offset {} into {}\n", lun,
                                result.bytes, options.offset, *options.out_file);
        return reply;
      }
      if (result.data.size() > kMaxHexDumpBytes) {
        return failure(kIoExitFailed,
                       fmt::format("read {} bytes: more than a hex dump shows ({}); use --out "
                                   "FILE",
                                   result.data.size(), kMaxHexDumpBytes));
      }
      reply.out = hex_dump(result.data, options.offset);
      return reply;
  }
  return reply;
}

}  // namespace

void run_io_command(iscsi::initiator::client::Session& session, const IoOptions& options,
                    std::function<void(IoReply)> done) {
  io::IoJob job;
  job.kind = options.kind;
  job.lun = options.lun.value_or(0);
  job.offset = options.offset;
  job.length = options.length;
  job.block_bytes = options.block_bytes;
  job.queue_depth = options.queue_depth;
  if (options.kind == io::JobKind::write && options.in_file) {
    auto data = read_file(*options.in_file);
    if (!data) {
      done(failure(kIoExitUsage, fmt::format("cannot read {}", *options.in_file)));
      return;
    }
    if (options.length != 0 && options.length != data->size()) {
      done(failure(kIoExitUsage, fmt::format("--length {} differs from the size of {} ({})",
                                             options.length, *options.in_file, data->size())));
      return;
    }
    job.length = data->size();
    job.source = std::move(*data);
  } else if (options.kind == io::JobKind::write || options.kind == io::JobKind::verify) {
    job.pattern = io::Pattern{options.pattern_seed};
  }
  run_io_job(session, std::move(job), [options, done = std::move(done)](io::IoResult result) {
    if (!result.ok) {
      done(failure(kIoExitFailed, result.error));
      return;
    }
    done(describe_success(options, result));
  });
}

}  // namespace iscsim
