#include "initiator-impl/iscsiadm/home.hpp"

#include <fmt/format.h>

#include "initiator-impl/iscsiadm/iname.hpp"

namespace iscsi::initiator::iscsiadm {
namespace {

constexpr std::string_view kDebianInitiatorNameHeader =
    "## DO NOT EDIT OR REMOVE THIS FILE!\n"
    "## If you remove this file, the iSCSI daemon will not start.\n"
    "## If you change the InitiatorName, existing access control lists\n"
    "## may reject this initiator.  The InitiatorName must be unique\n"
    "## for each iSCSI initiator.  Do NOT duplicate iSCSI InitiatorNames.\n";

}  // namespace

std::optional<std::string> parse_initiator_name(std::string_view text) {
  constexpr std::string_view key = "InitiatorName=";
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? end : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.substr(0, key.size()) == key && line.size() > key.size()) {
      return std::string(line.substr(key.size()));
    }
  }
  return std::nullopt;
}

OpenedHome open_home(FileStore& files, runtime::Rng& rng) {
  OpenedHome opened;
  if (!files.exists(kConfFile)) {
    if (auto error = files.write(kConfFile, default_iscsid_conf())) {
      opened.error = *error;
      return opened;
    }
  }
  if (!files.exists(kInitiatorNameFile)) {
    // The file Debian 12's open-iscsi.postinst writes: its warning header, then the name.
    std::string content = fmt::format("{}InitiatorName={}\n", kDebianInitiatorNameHeader,
                                      make_initiator_name(rng, kDebianInamePrefix));
    if (auto error = files.write(kInitiatorNameFile, content)) {
      opened.error = *error;
      return opened;
    }
  }
  Home home;
  home.conf = parse_conf(files.read(kConfFile).value_or(""));
  home.warnings = home.conf.warnings;
  auto name = parse_initiator_name(files.read(kInitiatorNameFile).value_or(""));
  if (!name) {
    opened.error = fmt::format("{} has no InitiatorName= line", kInitiatorNameFile);
    return opened;
  }
  home.initiator_name = std::move(*name);
  opened.home = std::move(home);
  return opened;
}

}  // namespace iscsi::initiator::iscsiadm
