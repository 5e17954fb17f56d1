// hosts: and links: sections.
#include <fmt/format.h>

#include "scenarios/load_parts.hpp"
#include "scenarios/loader.hpp"
#include "scenarios/yaml_reader.hpp"

namespace iscsi::scenarios::detail {
namespace {

std::string address_text(std::uint32_t ipv4) { return runtime::Endpoint{ipv4, 0}.to_string(); }

void check_unique_address(const Scenario& scenario, const YAML::Node& node, std::uint32_t address,
                          std::string_view host) {
  for (const HostSpec& other : scenario.hosts) {
    for (std::uint32_t used : other.ipv4) {
      if (used != address) continue;
      std::string shown = address_text(address);
      shown = shown.substr(0, shown.rfind(':'));
      fail(node, fmt::format("address {} of host '{}' is already an address of host '{}'", shown,
                             host, other.name));
    }
  }
}

void load_host(const YAML::Node& key, const YAML::Node& value, Scenario& scenario) {
  HostSpec host;
  host.name = identifier(key, "a host name");
  host.at = position_of(key);
  for (const HostSpec& other : scenario.hosts) {
    if (other.name == host.name) {
      fail(key, fmt::format("duplicate host name '{}' (first declared at line {})", host.name,
                            other.at.line));
    }
  }
  std::string what = fmt::format("host '{}'", host.name);
  check_keys(value, what, {"ip", "role"});
  require(value, "ip", what);
  const YAML::Node& ip = value["ip"];
  std::vector<YAML::Node> items;
  if (ip.IsSequence()) {
    expect_list(ip, fmt::format("'ip' of {}", what));
    for (const YAML::Node& item : ip) items.push_back(item);
    if (items.empty()) fail(ip, fmt::format("'ip' of {} lists no address", what));
  } else {
    items.push_back(ip);
  }
  for (const YAML::Node& item : items) {
    std::uint32_t address = ipv4(item, fmt::format("'ip' of {}", what));
    check_unique_address(scenario, item, address, host.name);
    for (std::uint32_t mine : host.ipv4) {
      if (mine == address) fail(item, fmt::format("{} lists an address twice", what));
    }
    host.ipv4.push_back(address);
  }
  if (value["role"]) {
    host.role =
        choice(value["role"], fmt::format("'role' of {}", what), {"target", "initiator"}) == 0
            ? HostRole::target
            : HostRole::initiator;
  }
  scenario.hosts.push_back(std::move(host));
}

}  // namespace

std::string identifier(const YAML::Node& node, std::string_view what) {
  std::string value = text(node, what);
  bool ok = !value.empty() && value.size() <= 128;
  for (char c : value) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-');
  }
  if (!ok) {
    fail(node, fmt::format("expected a name of letters, digits, '.', '_' or '-' for {}, got '{}'",
                           what, value.substr(0, 60)));
  }
  return value;
}

const HostSpec& known_host(const YAML::Node& node, const Scenario& scenario,
                           std::string_view what) {
  std::string name = text(node, what);
  if (const HostSpec* host = scenario.host(name)) return *host;
  std::vector<std::string> names;
  for (const HostSpec& host : scenario.hosts) names.push_back(host.name);
  fail(node,
       fmt::format("unknown host '{}' for {} (hosts: {})", name.substr(0, 60), what, join(names)));
}

void load_hosts(const YAML::Node& node, Scenario& scenario) {
  if (!node.IsMap()) expect_map(node, "'hosts'");
  if (node.size() > max_hosts) fail(node, fmt::format("more than {} hosts", max_hosts));
  if (node.size() == 0) fail(node, "'hosts' declares no host");
  // Not map_keys(): a repeated host name gets its own message.
  for (auto it = node.begin(); it != node.end(); ++it) load_host(it->first, it->second, scenario);
}

namespace {

LinkSpec load_link(const YAML::Node& key, const YAML::Node& value, const Scenario& scenario) {
  LinkSpec link;
  link.name = identifier(key, "a link name");
  link.at = position_of(key);
  std::string what = fmt::format("link '{}'", link.name);
  check_keys(value, what, {"between", "latency", "jitter", "bandwidth", "segment", "min_segment"});
  bool is_default = link.name == "default";
  if (value["between"]) {
    if (is_default)
      fail(value["between"],
           "the default link applies between every pair of hosts: it takes no 'between'");
    const YAML::Node& between = value["between"];
    std::string between_what = fmt::format("'between' of {}", what);
    expect_list(between, between_what);
    if (between.size() != 2)
      fail(between, fmt::format("expected two host names for {}", between_what));
    for (const YAML::Node& item : between)
      link.between.push_back(known_host(item, scenario, between_what).name);
    if (link.between[0] == link.between[1])
      fail(between, fmt::format("{} names the same host twice", what));
  } else if (!is_default) {
    fail(key,
         fmt::format("missing key 'between' in {} (only the link named 'default' has none)", what));
  }
  if (value["latency"])
    link.latency = duration(value["latency"], fmt::format("'latency' of {}", what));
  if (value["jitter"]) link.jitter = duration(value["jitter"], fmt::format("'jitter' of {}", what));
  if (value["bandwidth"])
    link.bandwidth_bps = rate(value["bandwidth"], fmt::format("'bandwidth' of {}", what));
  auto segment = [&](const char* name, std::uint32_t& into) {
    if (!value[name]) return;
    std::uint64_t bytes = size(value[name], fmt::format("'{}' of {}", name, what));
    if (bytes == 0 || bytes > 65535) {
      fail(value[name], fmt::format("'{}' of {} must be from 1 to 65535 bytes", name, what));
    }
    into = static_cast<std::uint32_t>(bytes);
  };
  segment("segment", link.segment_bytes);
  segment("min_segment", link.min_segment_bytes);
  if (link.min_segment_bytes > link.segment_bytes) {
    fail(key, fmt::format("'min_segment' of {} is larger than its 'segment'", what));
  }
  return link;
}

}  // namespace

void load_links(const YAML::Node& node, Scenario& scenario) {
  (void)map_keys(node, "'links'");
  for (auto it = node.begin(); it != node.end(); ++it) {
    LinkSpec link = load_link(it->first, it->second, scenario);
    if (link.between.empty()) {
      scenario.default_link = std::move(link);
      continue;
    }
    for (const LinkSpec& other : scenario.links) {
      bool same = (other.between[0] == link.between[0] && other.between[1] == link.between[1]) ||
                  (other.between[0] == link.between[1] && other.between[1] == link.between[0]);
      if (same) {
        fail(it->first,
             fmt::format("link '{}' joins the same hosts as link '{}'", link.name, other.name));
      }
    }
    scenario.links.push_back(std::move(link));
  }
}

}  // namespace iscsi::scenarios::detail
