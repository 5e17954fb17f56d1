#include "scenarios/run_files.hpp"

#include <string_view>

#include "initiator-impl/iscsiadm/home.hpp"
#include "initiator-impl/iscsiadm/iscsid_conf.hpp"

namespace iscsi::scenarios {
namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// The key a "key = value" line sets, or "" for comments, blank and malformed lines.
std::string_view key_of(std::string_view line) {
  line = trimmed(line);
  if (line.empty() || line.front() == '#') return {};
  const std::size_t equals = line.find('=');
  if (equals == std::string_view::npos) return {};
  return trimmed(line.substr(0, equals));
}

}  // namespace

std::string edit_iscsid_conf(initiator::iscsiadm::FileStore& files,
                             const std::map<std::string, std::string>& settings) {
  using initiator::iscsiadm::kConfFile;
  const std::optional<std::string> current = files.read(kConfFile);
  const std::string_view text =
      current ? std::string_view(*current) : initiator::iscsiadm::default_iscsid_conf();
  std::string next;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    if (settings.find(std::string(key_of(line))) == settings.end()) {
      next.append(line);
      next.push_back('\n');
    }
    start = end + 1;
  }
  for (const auto& [key, value] : settings) {
    if (!value.empty()) next += key + " = " + value + "\n";
  }
  auto failed = files.write(kConfFile, next);
  if (failed) return "iscsid.conf could not be written: " + *failed;
  return {};
}

}  // namespace iscsi::scenarios
