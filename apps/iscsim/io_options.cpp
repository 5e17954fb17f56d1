#include "apps/iscsim/io_options.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <limits>
#include <system_error>

#include <fmt/format.h>

namespace iscsim {
namespace {

namespace io = iscsi::initiator::io;

std::optional<io::JobKind> parse_kind(std::string_view word) {
  if (word == "inquiry") return io::JobKind::inquiry;
  if (word == "readcap") return io::JobKind::read_capacity;
  if (word == "luns") return io::JobKind::report_luns;
  if (word == "tur") return io::JobKind::test_unit_ready;
  if (word == "read") return io::JobKind::read;
  if (word == "write") return io::JobKind::write;
  if (word == "verify") return io::JobKind::verify;
  return std::nullopt;
}

// A decimal number with an optional binary suffix K, M or G (64M = 64 MiB).
std::optional<std::uint64_t> parse_size(std::string_view text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || stop == text.data()) return std::nullopt;
  std::uint64_t unit = 1;
  const std::string_view suffix(stop, static_cast<std::size_t>(end - stop));
  if (suffix == "K" || suffix == "k") unit = 1024;
  else if (suffix == "M" || suffix == "m") unit = 1024 * 1024;
  else if (suffix == "G" || suffix == "g") unit = 1024 * 1024 * 1024;
  else if (!suffix.empty()) return std::nullopt;
  if (value > std::numeric_limits<std::uint64_t>::max() / unit) return std::nullopt;
  return value * unit;
}

struct Cursor {
  const std::vector<std::string>& args;
  std::size_t next = 0;
};

// "--name VALUE" or "--name=VALUE"; `arg` is the one just taken.
std::optional<std::string> option_value(Cursor& cursor, const std::string& arg,
                                        std::string_view name, std::string& error) {
  if (arg.size() > name.size() && arg.compare(0, name.size(), name) == 0 &&
      arg[name.size()] == '=') {
    return arg.substr(name.size() + 1);
  }
  if (cursor.next >= cursor.args.size()) {
    error = fmt::format("{} needs a value", name);
    return std::nullopt;
  }
  return cursor.args[cursor.next++];
}

bool is_option(const std::string& arg, std::string_view name) {
  return arg == name || (arg.size() > name.size() && arg.compare(0, name.size(), name) == 0 &&
                         arg[name.size()] == '=');
}

// Applies one numeric option; false with `error` set on a bad value.
bool apply_number(IoOptions& options, std::string_view name, const std::string& value,
                  std::string& error) {
  const auto number = parse_size(value);
  if (!number) {
    error = fmt::format("{} {}: expected a number (K, M and G suffixes are binary)", name, value);
    return false;
  }
  if (name == "--sid") options.sid = static_cast<int>(std::min<std::uint64_t>(*number, 1U << 30));
  if (name == "--lun") options.lun = *number;
  if (name == "--offset") options.offset = *number;
  if (name == "--length") options.length = *number;
  if (name == "--pattern-seed") options.pattern_seed = *number;
  if (name == "--block" || name == "--depth") {
    const std::uint64_t limit = name == "--block" ? 16U * 1024 * 1024 : 1024;
    if (*number == 0 || *number > limit) {
      error = fmt::format("{} {}: expected 1 to {}", name, value, limit);
      return false;
    }
    if (name == "--block") options.block_bytes = static_cast<std::uint32_t>(*number);
    if (name == "--depth") options.queue_depth = static_cast<unsigned>(*number);
  }
  return true;
}

constexpr std::string_view kNumberOptions[] = {"--sid",    "--lun",   "--offset",
                                               "--length", "--block", "--depth",
                                               "--pattern-seed"};
constexpr std::string_view kTextOptions[] = {"--in", "--out", "--initiator-name"};

// One argument after the command word; false with `error` set when it is wrong.
bool apply_argument(Cursor& cursor, IoOptions& options, std::string& error) {
  const std::string& arg = cursor.args[cursor.next++];
  for (std::string_view name : kNumberOptions) {
    if (!is_option(arg, name)) continue;
    auto value = option_value(cursor, arg, name, error);
    return value && apply_number(options, name, *value, error);
  }
  for (std::string_view name : kTextOptions) {
    if (!is_option(arg, name)) continue;
    auto value = option_value(cursor, arg, name, error);
    if (!value) return false;
    if (name == "--in") options.in_file = *value;
    if (name == "--out") options.out_file = *value;
    if (name == "--initiator-name") options.initiator_name = *value;
    return true;
  }
  if (arg.rfind("iscsi://", 0) == 0 && !options.url) {
    options.url = arg;
    return true;
  }
  error = arg.rfind("-", 0) == 0 ? fmt::format("unknown option {}", arg)
                                 : fmt::format("unexpected argument {}", arg);
  return false;
}

std::string check_combination(const IoOptions& options) {
  if (options.sid.has_value() == options.url.has_value()) {
    return "give either --sid N (a session of `iscsim iscsiadm -m session`) or an iSCSI URL "
           "iscsi://[user[%password]@]host[:port]/target-iqn/lun";
  }
  if (options.in_file && options.kind != io::JobKind::write) return "--in is for write only";
  if (options.out_file && options.kind != io::JobKind::read) return "--out is for read only";
  if (options.initiator_name && options.sid) {
    return "--initiator-name is for URL mode; a session of the daemon has its name already";
  }
  return {};
}

}  // namespace

ParsedIoArgs parse_io_args(const std::vector<std::string>& args) {
  ParsedIoArgs parsed;
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") {
      parsed.help = true;
      return parsed;
    }
  }
  if (args.empty()) {
    parsed.error = "a command is needed: inquiry, readcap, luns, tur, read, write or verify";
    return parsed;
  }
  const auto kind = parse_kind(args[0]);
  if (!kind) {
    parsed.error = fmt::format("unknown command {}: expected inquiry, readcap, luns, tur, read, "
                               "write or verify", args[0]);
    return parsed;
  }
  IoOptions options;
  options.kind = *kind;
  Cursor cursor{args, 1};
  while (cursor.next < args.size()) {
    if (!apply_argument(cursor, options, parsed.error)) return parsed;
  }
  parsed.error = check_combination(options);
  if (parsed.error.empty()) parsed.options = std::move(options);
  return parsed;
}

std::vector<std::string> with_absolute_files(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  const auto absolute = [](const std::string& path) {
    std::error_code ignored;
    return std::filesystem::absolute(path, ignored).string();
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if ((arg == "--in" || arg == "--out") && i + 1 < args.size()) {
      out.push_back(arg);
      out.push_back(absolute(args[++i]));
    } else if (arg.rfind("--in=", 0) == 0 || arg.rfind("--out=", 0) == 0) {
      const std::size_t equals = arg.find('=');
      out.push_back(arg.substr(0, equals + 1) + absolute(arg.substr(equals + 1)));
    } else {
      out.push_back(arg);
    }
  }
  return out;
}

std::string_view io_usage() {
  return R"(Usage: iscsim io COMMAND (--sid N | URL) [OPTIONS]

SCSI work on an iSCSI LU, through a session the session daemon holds (--sid N, the number
`iscsim iscsiadm -m session` shows) or through a libiscsi URL (log in, run, log out):
  iscsi://[user[%password]@]host[:port]/target-iqn/lun
The CHAP secret may also come from LIBISCSI_CHAP_PASSWORD, as with libiscsi's tools.

Commands:
  inquiry   standard INQUIRY data          readcap   READ CAPACITY (16)
  luns      REPORT LUNS                    tur       TEST UNIT READY
  write     write a pattern (or --in FILE) from --offset, --length bytes
  read      read --length bytes from --offset into --out FILE (else a hex dump)
  verify    read and compare with the pattern a write with the same seed wrote

Options:
  --sid N               a session of the daemon of $ISCSIM_HOME
  --lun N               logical unit (default 0; a URL names its own)
  --offset BYTES        start on the LU (a multiple of the block size)
  --length BYTES        bytes to transfer; 0 (default): to the end of the LU
  --block BYTES         bytes per SCSI command (default 64K)
  --depth N             commands in flight (default 16)
  --pattern-seed N      the pattern of write and verify (default 1)
  --in FILE             write: the data to write (its size is the length)
  --out FILE            read: where the data goes
  --initiator-name IQN  URL mode: the name to log in with (default: $ISCSIM_HOME's)
Sizes take K, M and G suffixes (binary).

Exit codes: 0 done, 1 the SCSI work failed or verify found a difference, 2 bad command
line, 3 no such session, no session daemon, or the login failed.

Examples:
  iscsim iscsiadm -m node -T iqn.2001-04.com.example:storage.disk1 -p 127.0.0.1 -l
  iscsim io write --sid 1 --lun 1 --length 64M --pattern-seed 7
  iscsim io verify --sid 1 --lun 1 --length 64M --pattern-seed 7
  iscsim io readcap iscsi://127.0.0.1:3260/iqn.2001-04.com.example:storage.disk1/1
  LIBISCSI_CHAP_PASSWORD=secretpass iscsim io inquiry \
      iscsi://user1@127.0.0.1/iqn.2001-04.com.example:storage.disk1/1
)";
}

}  // namespace iscsim
