// libFuzzer harness for target-impl/config's tgtadm language. Input: text, one tgtadm command
// line per line (shell syntax, optional "tgtadm" prefix, at most kMaxLines lines). Each line is
// tokenized and run against a configuration that starts with one target, two LUNs and an
// account; after every command the harness checks invariants that must hold for any input:
// tgtadm's exit codes only, an error message exactly when the exit code says so, no effects
// from a refused command, a configuration within its limits and consistent with its keys, and
// `--op show` output for every mode. The whole input is then loaded once more as a config file.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "target-impl/config/config_file.hpp"
#include "target-impl/config/show.hpp"
#include "target-impl/config/tgtadm.hpp"
#include "tests/target-impl/config/fake_host.hpp"

namespace {

using namespace iscsi::target::config;

constexpr std::size_t kMaxLines = 64;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "tgtadm harness invariant broken: %s\n", what);
    std::abort();
  }
}

void check_reply(const Execution& run) {
  int code = run.reply.exit_code;
  check(code == 0 || code == exit_einval || code == exit_unknown_mode_or_op, "exit code");
  check((code == 0) == run.reply.err.empty(), "stderr text iff failure");
  check(code == 0 || run.effects.empty(), "no effects from a refused command");
  check(code == 0 || run.reply.out.empty(), "no stdout from a refused command");
}

void check_target(std::uint32_t tid, const TargetConfig& target, const SystemConfig& config) {
  check(target.tid == tid && tid > 0, "target key");
  check(!target.name.empty(), "target name");
  check(target.luns.size() <= max_luns_per_target, "LUN limit");
  for (const auto& [number, lun] : target.luns) {
    check(lun.lun == number && number > 0 && number <= max_lun_number, "LUN key");
    check(lun.block_size >= 512 && (lun.block_size & (lun.block_size - 1)) == 0, "block size");
    check(lun.bstype != BackingType::ram || lun.size_bytes % lun.block_size == 0, "ram size");
  }
  check(target.initiator_addresses.size() + target.initiator_names.size() <=
            max_acl_entries_per_target,
        "ACL limit");
  for (const std::string& user : target.incoming_users) {
    check(config.find_account(user) != nullptr, "bound account exists");
  }
  check(!target.outgoing_user || config.find_account(*target.outgoing_user) != nullptr,
        "outgoing account exists");
}

void check_config(const SystemConfig& config, testing::FakeHost& host) {
  check(config.targets.size() <= max_targets, "target limit");
  check(config.accounts.size() <= max_accounts, "account limit");
  for (const auto& [tid, target] : config.targets) {
    check_target(tid, target, config);
    (void)show_target_params(target);
  }
  for (const std::string& user : config.discovery_incoming_users) {
    check(config.find_account(user) != nullptr, "discovery account exists");
  }
  (void)show_targets(config, host);
  (void)show_accounts(config);
  (void)show_system(config);
  (void)show_lld(config);
}

SystemConfig initial_config(testing::FakeHost& host) {
  SystemConfig config;
  static constexpr std::string_view setup =
      "tgtadm --lld iscsi --op new --mode target --tid 1 -T iqn.2001-04.com.example:disk1\n"
      "tgtadm --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b /disk.img\n"
      "tgtadm --lld iscsi --op new --mode logicalunit --tid 1 --lun 2 -E ram -b 1M\n"
      "tgtadm --lld iscsi --op new --mode account --user alice --password secret\n";
  LoadedConfig loaded = load_tgtadm_lines(setup, "setup", config, host);
  check(!loaded.error, "setup loads");
  return config;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  testing::FakeHost host;
  host.files["/disk.img"] = 64ULL << 20;
  host.files["/small.img"] = 4096;
  host.nexuses[1] = {NexusInfo{1, "iqn.initiator", "", {{0, "127.0.0.1"}}}};
  SystemConfig config = initial_config(host);
  std::size_t pos = 0;
  for (std::size_t line = 0; line < kMaxLines && pos < text.size(); ++line) {
    std::size_t end = text.find('\n', pos);
    std::string_view command = text.substr(pos, end == text.npos ? text.npos : end - pos);
    pos = end == text.npos ? text.size() : end + 1;
    Execution run = testing::run_line(command, config, host);
    check_reply(run);
    check_config(config, host);
  }
  SystemConfig from_file;
  LoadedConfig loaded = load_tgtadm_lines(text.substr(0, pos), "fuzz.conf", from_file, host);
  check(!loaded.error || (from_file.targets.empty() && from_file.accounts.empty()),
        "a failed load applies nothing");
  check_config(from_file, host);
  return 0;
}
