#include "target-impl/server/session_registry.hpp"

#include <algorithm>

namespace iscsi::target::server {
namespace {

constexpr std::size_t kTsihValues = 0xffff;  // 1..65535: zero means "new session"

bool same_nexus(const SessionInfo& a, const SessionInfo& b) {
  // RFC 7143 §6.3.5: the session identifier is InitiatorName + ISID + target (TargetName and
  // portal group); one portal group here, so the target id stands for the last two.
  return a.tid && b.tid && *a.tid == *b.tid && a.isid == b.isid &&
         a.initiator_name == b.initiator_name;
}

}  // namespace

SessionRegistry::SessionRegistry(std::size_t max_sessions)
    : max_sessions_(std::clamp<std::size_t>(max_sessions, 1, kTsihValues)) {}

std::optional<std::uint16_t> SessionRegistry::allocate_tsih() {
  if (sessions_.size() >= max_sessions_) return std::nullopt;
  for (std::size_t tries = 0; tries < kTsihValues; ++tries) {
    const std::uint16_t candidate = next_tsih_;
    next_tsih_ = next_tsih_ == 0xffff ? 1 : static_cast<std::uint16_t>(next_tsih_ + 1);
    if (!sessions_.contains(candidate)) return candidate;
  }
  return std::nullopt;
}

login::TsihLookup SessionRegistry::lookup(std::uint16_t tsih) const {
  return sessions_.contains(tsih) ? login::TsihLookup::exists : login::TsihLookup::unknown;
}

std::vector<SessionInfo> SessionRegistry::add(const SessionInfo& info) {
  std::vector<SessionInfo> replaced;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (it->first == info.tsih || same_nexus(it->second, info)) {
      replaced.push_back(it->second);
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
  sessions_.emplace(info.tsih, info);
  return replaced;
}

bool SessionRegistry::remove(std::uint16_t tsih) { return sessions_.erase(tsih) > 0; }

const SessionInfo* SessionRegistry::find(std::uint16_t tsih) const {
  auto it = sessions_.find(tsih);
  return it == sessions_.end() ? nullptr : &it->second;
}

std::vector<SessionInfo> SessionRegistry::sessions_of(std::uint32_t tid) const {
  std::vector<SessionInfo> out;
  for (const auto& [tsih, info] : sessions_) {
    if (info.tid && *info.tid == tid) out.push_back(info);
  }
  std::sort(out.begin(), out.end(),
            [](const SessionInfo& a, const SessionInfo& b) { return a.nexus < b.nexus; });
  return out;
}

std::vector<SessionInfo> SessionRegistry::all() const {
  std::vector<SessionInfo> out;
  out.reserve(sessions_.size());
  for (const auto& [tsih, info] : sessions_) out.push_back(info);
  return out;
}

}  // namespace iscsi::target::server
