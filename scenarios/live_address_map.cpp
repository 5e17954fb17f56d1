#include "scenarios/live_address_map.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/runtime/address.hpp"
#include "scenarios/loader.hpp"
#include "scenarios/units.hpp"

namespace iscsi::scenarios {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// `text` at `pos` is a whole address: no digit or dot before it, no digit (or dot and digit)
// after it, so 127.0.0.1 is not found inside 127.0.0.10 or 10.127.0.0.1.
bool whole_at(std::string_view text, std::size_t pos, std::size_t length) {
  if (pos > 0 && (is_digit(text[pos - 1]) || text[pos - 1] == '.')) return false;
  const std::size_t end = pos + length;
  if (end < text.size() && is_digit(text[end])) return false;
  if (end + 1 < text.size() && text[end] == '.' && is_digit(text[end + 1])) return false;
  return true;
}

// The target's portals as the world builds them: the listed ones, or its host's first
// address on 3260.
std::vector<runtime::Endpoint> target_portals(const Scenario& scenario) {
  std::vector<runtime::Endpoint> portals = scenario.target.portals;
  const HostSpec* host = scenario.host(scenario.target.host);
  if (portals.empty() && host != nullptr) portals.push_back({host->ipv4.front(), 3260});
  return portals;
}

// Every IPv4 address or address/prefix among the scenario's tgtadm words.
std::vector<std::string> tgtadm_addresses(const Scenario& scenario) {
  std::vector<const CommandLine*> lines;
  for (const CommandLine& line : scenario.target.tgtadm) lines.push_back(&line);
  for (const Step& step : scenario.steps) {
    if (const auto* run = std::get_if<RunStep>(&step.action)) lines.push_back(&run->command);
  }
  std::vector<std::string> words;
  for (const CommandLine* line : lines) {
    for (const std::string& word : line->words) {
      const std::string_view address = std::string_view(word).substr(0, word.find('/'));
      if (parse_ipv4(address)) words.push_back(word);
    }
  }
  return words;
}

}  // namespace

Result<LiveAddressMap> LiveAddressMap::make(const Scenario& scenario, runtime::Endpoint live) {
  LiveAddressMap map;
  map.live_ = live;
  map.portals_ = target_portals(scenario);
  if (const HostSpec* host = scenario.host(scenario.target.host)) {
    map.target_addresses_ = host->ipv4;
  }
  map.first_portal_ = map.portals_.empty() ? live : map.portals_.front();
  const std::string live_host = runtime::format_ipv4(live.ipv4);
  const std::string first = runtime::format_ipv4(map.first_portal_.ipv4);
  map.remember(fmt::format("{}:{}", live_host, live.port),
               fmt::format("{}:{}", first, map.first_portal_.port));
  map.remember(fmt::format("{},{}", live_host, live.port),
               fmt::format("{},{}", first, map.first_portal_.port));
  std::vector<std::pair<std::uint32_t, std::string>> sources;
  for (const InitiatorSpec& initiator : scenario.initiators) {
    const HostSpec* host = scenario.host(initiator.host);
    if (host == nullptr) continue;
    const std::uint32_t source = map.source_of(*host);
    if (source == live.ipv4) {
      return Violation{kScenarioInvalid,
                       fmt::format("{}: initiator host {} ({}) would connect from {}, the live "
                                   "target's own address",
                                   scenario.file, host->name,
                                   runtime::format_ipv4(host->ipv4.front()), live_host)};
    }
    for (const auto& [other, name] : sources) {
      if (other == source && name != host->name) {
        return Violation{kScenarioInvalid,
                         fmt::format("{}: initiator hosts {} and {} would both connect from {}",
                                     scenario.file, name, host->name,
                                     runtime::format_ipv4(source))};
      }
    }
    sources.emplace_back(source, host->name);
  }
  for (const HostSpec& host : scenario.hosts) {
    for (std::uint32_t address : host.ipv4) {
      map.remember(runtime::format_ipv4(loopback_of(address)), runtime::format_ipv4(address));
    }
  }
  for (const std::string& word : tgtadm_addresses(scenario)) map.remember(map.map_word(word), word);
  map.remember(live_host, first);
  return map;
}

void LiveAddressMap::remember(std::string mapped, std::string original) {
  if (mapped == original) return;
  for (const auto& [known, ignored] : back_) {
    if (known == mapped) return;  // the first original stays: it is the more specific one
  }
  back_.emplace_back(std::move(mapped), std::move(original));
  std::stable_sort(back_.begin(), back_.end(), [](const auto& a, const auto& b) {
    return a.first.size() > b.first.size();
  });
}

std::string LiveAddressMap::map_word(std::string_view word) const {
  const std::string live = live_.to_string();
  if (auto portal = parse_portal(word, 3260)) {
    const bool has_port = word.find(':') != std::string_view::npos;
    const bool is_portal = std::find(portals_.begin(), portals_.end(), *portal) != portals_.end();
    const bool is_target_address = std::find(target_addresses_.begin(), target_addresses_.end(),
                                             portal->ipv4) != target_addresses_.end();
    if (is_portal || (!has_port && is_target_address)) return live;
    const std::string host = runtime::format_ipv4(loopback_of(portal->ipv4));
    return has_port ? fmt::format("{}:{}", host, portal->port) : host;
  }
  // An ACL's address/prefix (tgtadm --initiator-address 192.168.234.0/24).
  const std::size_t slash = word.find('/');
  if (slash == std::string_view::npos) return std::string(word);
  const auto address = parse_ipv4(word.substr(0, slash));
  const auto prefix = parse_unsigned(word.substr(slash + 1), 32);
  if (!address || !prefix) return std::string(word);
  if (*prefix < 8) return "127.0.0.0/8";
  return fmt::format("{}/{}", runtime::format_ipv4(loopback_of(*address)), *prefix);
}

std::vector<std::string> LiveAddressMap::map_words(std::vector<std::string> words) const {
  for (std::string& word : words) word = map_word(word);
  return words;
}

std::string LiveAddressMap::unmap_text(std::string_view text) const {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    bool replaced = false;
    for (const auto& [mapped, original] : back_) {
      if (text.compare(pos, mapped.size(), mapped) == 0 && whole_at(text, pos, mapped.size())) {
        out += original;
        pos += mapped.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back(text[pos++]);
  }
  return out;
}

}  // namespace iscsi::scenarios
