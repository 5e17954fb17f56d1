#pragma once
// An ExecutionHost for tests: backing stores are a table of path -> size, sessions and LUN
// run-time state are whatever the test puts in.
#include <map>
#include <string>
#include <vector>

#include "target-impl/config/execution_host.hpp"
#include "target-impl/config/tgtadm.hpp"
#include "target-impl/config/tokenizer.hpp"

namespace iscsi::target::config::testing {

inline constexpr ViolationKind fake_open_failure{"test.backing-store-open", "none",
                                                 Severity::fatal};

class FakeHost : public ExecutionHost {
 public:
  std::map<std::string, std::uint64_t> files;  // path -> size; absent paths fail to open
  std::map<std::uint32_t, std::vector<NexusInfo>> nexuses;
  std::map<std::pair<std::uint32_t, std::uint32_t>, LunRuntimeState> lun_states;
  std::vector<std::string> portal_list;
  std::vector<std::string> probed;  // every path probe_backing_store was asked about

  Result<std::uint64_t> probe_backing_store(const LunConfig& lun) override {
    probed.push_back(lun.backing_store);
    auto it = files.find(lun.backing_store);
    if (it == files.end()) return Violation{fake_open_failure, "cannot open " + lun.backing_store};
    return it->second;
  }
  std::vector<NexusInfo> sessions(std::uint32_t tid) const override {
    auto it = nexuses.find(tid);
    return it == nexuses.end() ? std::vector<NexusInfo>{} : it->second;
  }
  LunRuntimeState lun_state(std::uint32_t tid, std::uint32_t lun) const override {
    auto it = lun_states.find({tid, lun});
    return it == lun_states.end() ? LunRuntimeState{} : it->second;
  }
  std::vector<std::string> portals() const override { return portal_list; }
};

// Runs one command line (shell syntax, without the "tgtadm" word).
inline Execution run_line(std::string_view line, SystemConfig& config, ExecutionHost& host) {
  TokenizedLine tokens = tokenize_line(line);
  return run_tgtadm(tokens.words, config, host);
}

}  // namespace iscsi::target::config::testing
