// libFuzzer harness for target-impl/config/yaml. Input: a YAML document. Invariants for any
// input: load_yaml() never throws; a failed load names a position and leaves the configuration
// untouched; a successful load yields a configuration whose `--op show` outputs can be
// printed, and loading the same document into it again fails (every target exists already)
// unless the document defines no target and no account.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "target-impl/config/show.hpp"
#include "target-impl/config/yaml/config_yaml.hpp"
#include "tests/target-impl/config/fake_host.hpp"

namespace {

using namespace iscsi::target::config;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "yaml harness invariant broken: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  testing::FakeHost host;
  host.files["/srv/disk1.img"] = 64ULL << 20;
  SystemConfig config;
  LoadedConfig loaded = yaml::load_yaml(text, "fuzz.yaml", config, host);
  if (loaded.error) {
    check(config.targets.empty() && config.accounts.empty(), "failed load applies nothing");
    check(loaded.effects.empty(), "failed load has no effects");
    check(!loaded.error->message.empty(), "error message");
    (void)loaded.error->to_string();
    return 0;
  }
  (void)show_targets(config, host);
  (void)show_accounts(config);
  (void)show_system(config);
  for (const auto& [tid, target] : config.targets) (void)show_target_params(target);
  if (!config.targets.empty() || !config.accounts.empty()) {
    SystemConfig again = config;
    LoadedConfig twice = yaml::load_yaml(text, "fuzz.yaml", again, host);
    check(twice.error.has_value(), "reloading the same definitions is refused");
    check(show_targets(again, host) == show_targets(config, host), "refused reload changes nothing");
  }
  return 0;
}
