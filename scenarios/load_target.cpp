// target:, initiator(s): sections and the checks across sections.
#include <fmt/format.h>

#include "scenarios/file_commands.hpp"
#include "scenarios/load_parts.hpp"
#include "scenarios/loader.hpp"
#include "scenarios/yaml_reader.hpp"

namespace iscsi::scenarios::detail {
namespace {

// A line of the target block is a tgtadm line, or a truncate/dd line that sizes a backing-store
// file for the tgtadm lines after it. An error sentence otherwise; empty when it is fine.
std::string refusal_of_target_line(const CommandLine& command) {
  const std::string& program = command.words[0];
  if (is_file_command(program)) {
    FileCommandParse parsed = parse_file_command(command.words);
    return parsed.command ? std::string() : parsed.error;
  }
  if (program == "tgtadm") return {};
  return fmt::format(
      "expected a tgtadm (or truncate, dd) command line in 'tgtadm' of the target, got '{}'",
      program.substr(0, 60));
}

// The lines of a `tgtadm: |` block scalar, placed in the document: yaml-cpp marks the block
// indicator, and the content starts on the next line, indented.
void load_tgtadm_block(const YAML::Node& node, const Document& document, TargetSpec& target) {
  std::string block = text(node, "'tgtadm' of the target");
  SourcePos start = position_of(node);
  std::size_t first_line = start.line;  // 1-based line of the first content line
  bool is_block = start.line >= 1 && start.line <= document.lines.size() &&
                  document.lines[start.line - 1].find_first_of("|>", start.column - 1) !=
                      std::string_view::npos;
  if (is_block) ++first_line;
  std::string_view rest = block;
  for (std::size_t index = 0; !rest.empty(); ++index) {
    std::size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    SourcePos at{first_line + index, is_block ? 1 : start.column};
    if (is_block && at.line <= document.lines.size()) {
      std::string_view source = document.lines[at.line - 1];
      if (source.size() >= line.size() && source.substr(source.size() - line.size()) == line) {
        at.column = source.size() - line.size() + 1;
      }
    }
    std::size_t content = line.find_first_not_of(" \t");
    if (content == std::string_view::npos || line[content] == '#') continue;
    line.remove_prefix(content);
    at.column += content;
    if (target.tgtadm.size() >= max_list_items)
      fail_at(at, "too many lines in 'tgtadm' of the target");
    CommandLine command = command_line(node, line, at, "a line of 'tgtadm'");
    std::string refused = refusal_of_target_line(command);
    if (!refused.empty()) fail_at(at, refused);
    target.tgtadm.push_back(std::move(command));
  }
}

void load_tgtadm(const YAML::Node& node, const Document& document, TargetSpec& target) {
  if (!node.IsSequence()) {
    load_tgtadm_block(node, document, target);
    return;
  }
  expect_list(node, "'tgtadm' of the target");
  for (const YAML::Node& item : node) {
    CommandLine command = command_line(item, text(item, "a line of 'tgtadm'"), position_of(item),
                                       "a line of 'tgtadm'");
    std::string refused = refusal_of_target_line(command);
    if (!refused.empty()) fail(item, refused);
    target.tgtadm.push_back(std::move(command));
  }
}

bool has_address(const HostSpec& host, std::uint32_t address) {
  for (std::uint32_t mine : host.ipv4) {
    if (mine == address) return true;
  }
  return false;
}

}  // namespace

void load_target(const YAML::Node& node, const Document& document, Scenario& scenario) {
  TargetSpec& target = scenario.target;
  check_keys(node, "the target", {"host", "profile", "portals", "tgtadm", "lun_sizes"});
  require(node, "host", "the target");
  target.at = position_of(node);
  const HostSpec& host = known_host(node["host"], scenario, "'host' of the target");
  target.host = host.name;
  if (node["profile"]) {
    target.profile = choice(node["profile"], "'profile' of the target", {"rfc", "tgt"}) == 0
                         ? Profile::rfc
                         : Profile::tgt;
  }
  if (node["portals"]) {
    const YAML::Node& portals = node["portals"];
    std::vector<YAML::Node> items;
    if (portals.IsSequence()) {
      expect_list(portals, "'portals' of the target");
      for (const YAML::Node& item : portals) items.push_back(item);
    } else {
      items.push_back(portals);
    }
    for (const YAML::Node& item : items) {
      runtime::Endpoint endpoint = portal(item, "a portal of the target");
      if (!has_address(host, endpoint.ipv4)) {
        fail(item, fmt::format("portal {} is not an address of the target's host '{}'",
                               endpoint.to_string(), host.name));
      }
      target.portals.push_back(endpoint);
    }
  } else {
    target.portals.push_back(runtime::Endpoint{host.ipv4.front(), 3260});
  }
  if (node["tgtadm"]) load_tgtadm(node["tgtadm"], document, target);
  if (node["lun_sizes"]) {
    const YAML::Node& sizes = node["lun_sizes"];
    std::vector<std::string> paths = map_keys(sizes, "'lun_sizes' of the target");
    std::size_t index = 0;
    for (auto it = sizes.begin(); it != sizes.end(); ++it, ++index) {
      std::uint64_t bytes =
          size(it->second, fmt::format("the size of '{}'", paths[index].substr(0, 60)));
      if (bytes == 0 || bytes % 512 != 0) {
        fail(it->second, "a LUN size must be a non-zero multiple of 512 bytes");
      }
      target.lun_sizes[paths[index]] = bytes;
    }
  }
}

void load_initiator(const YAML::Node& node, std::string_view what, Scenario& scenario) {
  InitiatorSpec initiator;
  check_keys(node, what, {"name", "host", "initiatorname", "iscsid.conf", "ifaces"});
  require(node, "host", what);
  require(node, "initiatorname", what);
  initiator.at = position_of(node);
  initiator.host = known_host(node["host"], scenario, fmt::format("'host' of {}", what)).name;
  initiator.name =
      node["name"] ? identifier(node["name"], fmt::format("'name' of {}", what)) : initiator.host;
  if (scenario.initiator(initiator.name) != nullptr) {
    fail(node["name"] ? node["name"] : node["host"],
         fmt::format("duplicate initiator name '{}' (give each initiator a 'name')",
                     initiator.name));
  }
  initiator.initiatorname = text(node["initiatorname"], fmt::format("'initiatorname' of {}", what));
  const std::string& iqn = initiator.initiatorname;
  if (iqn.rfind("iqn.", 0) != 0 && iqn.rfind("eui.", 0) != 0 && iqn.rfind("naa.", 0) != 0) {
    fail(node["initiatorname"], fmt::format("expected an iSCSI name starting with iqn., eui. or "
                                            "naa. for 'initiatorname' of {}, got '{}'",
                                            what, iqn.substr(0, 60)));
  }
  if (node["iscsid.conf"]) {
    std::string conf_what = fmt::format("'iscsid.conf' of {}", what);
    const YAML::Node& conf = node["iscsid.conf"];
    std::vector<std::string> keys = map_keys(conf, conf_what);
    std::size_t index = 0;
    for (auto it = conf.begin(); it != conf.end(); ++it, ++index) {
      initiator.iscsid_conf[keys[index]] =
          text(it->second, fmt::format("'{}' in {}", keys[index].substr(0, 60), conf_what));
    }
  }
  if (node["ifaces"]) {
    std::string ifaces_what = fmt::format("'ifaces' of {}", what);
    const YAML::Node& ifaces = node["ifaces"];
    std::vector<std::string> names = map_keys(ifaces, ifaces_what);
    std::size_t index = 0;
    for (auto it = ifaces.begin(); it != ifaces.end(); ++it, ++index) {
      IfaceSpec iface{names[index], {}};
      std::string iface_what = fmt::format("iface '{}' of {}", names[index].substr(0, 60), what);
      std::vector<std::string> keys =
          it->second.IsNull() ? std::vector<std::string>{} : map_keys(it->second, iface_what);
      std::size_t key_index = 0;
      for (auto setting = it->second.begin(); setting != it->second.end(); ++setting, ++key_index) {
        const std::string& key = keys[key_index];
        if (key.rfind("iface.", 0) != 0) {
          fail(setting->first, fmt::format("expected an iface.* setting in {}, got '{}'",
                                           iface_what, key.substr(0, 60)));
        }
        iface.settings[key] = text(setting->second, fmt::format("'{}' in {}", key, iface_what));
      }
      initiator.ifaces.push_back(std::move(iface));
    }
  }
  scenario.initiators.push_back(std::move(initiator));
}

namespace {

bool named_by(const std::vector<std::string>& words, std::string_view path) {
  for (const std::string& word : words) {
    if (word == path) return true;
    std::string_view view = word;
    if (view.rfind("--backing-store=", 0) == 0 && view.substr(16) == path) return true;
  }
  return false;
}

}  // namespace

void check_references(const YAML::Node& root, Scenario& scenario) {
  // Every LUN size belongs to a backing store that a tgtadm line (the block or a step) names.
  const YAML::Node& sizes = root["target"]["lun_sizes"];
  if (sizes) {
    for (auto it = sizes.begin(); it != sizes.end(); ++it) {
      std::string path = it->first.Scalar();
      bool named = false;
      for (const CommandLine& line : scenario.target.tgtadm)
        named = named || named_by(line.words, path);
      for (const Step& step : scenario.steps) {
        if (const auto* run = std::get_if<RunStep>(&step.action)) {
          named = named || named_by(run->command.words, path);
        }
      }
      if (!named) {
        fail(it->first,
             fmt::format("'lun_sizes' names '{}', which no tgtadm line uses as a backing store",
                         path.substr(0, 60)));
      }
    }
  }
  // Roles left out follow from use; roles given must agree with it.
  const YAML::Node& hosts = root["hosts"];
  std::size_t index = 0;
  for (auto it = hosts.begin(); it != hosts.end(); ++it, ++index) {
    HostSpec& host = scenario.hosts[index];
    const YAML::Node value = it->second;
    bool is_target = host.name == scenario.target.host;
    if (!value["role"]) {
      host.role = is_target ? HostRole::target : HostRole::initiator;
    } else if (is_target && host.role != HostRole::target) {
      fail(value["role"],
           fmt::format("host '{}' is the target's host but has role initiator", host.name));
    }
  }
}

}  // namespace iscsi::scenarios::detail
