#include "initiator-impl/iscsiadm/file_store.hpp"

#include <set>

namespace iscsi::initiator::iscsiadm {

bool is_safe_component(std::string_view name) {
  if (name.empty() || name.size() > kMaxComponentChars || name == "." || name == "..") {
    return false;
  }
  for (char c : name) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '/' || c == '\\' || byte <= 0x20 || byte == 0x7f) return false;
  }
  return true;
}

bool is_safe_relative_path(std::string_view path) {
  if (path.empty() || path.size() > kMaxPathChars) return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    if (!is_safe_component(path.substr(start, end - start))) return false;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

std::optional<std::string> MemoryFileStore::read(std::string_view path) const {
  if (!is_safe_relative_path(path)) return std::nullopt;
  auto it = files_.find(path);
  if (it == files_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> MemoryFileStore::write(std::string_view path,
                                                  std::string_view content) {
  if (!is_safe_relative_path(path)) return "unsafe path '" + std::string(path) + "'";
  if (content.size() > kMaxFileBytes) return "file too large: " + std::string(path);
  std::string prefix = std::string(path) + "/";
  auto below = files_.lower_bound(prefix);
  if (below != files_.end() && below->first.compare(0, prefix.size(), prefix) == 0) {
    return "is a directory: " + std::string(path);
  }
  // A parent that is a file blocks the write, as on a real filesystem.
  for (std::size_t slash = path.find('/'); slash != std::string_view::npos;
       slash = path.find('/', slash + 1)) {
    if (files_.count(path.substr(0, slash)) != 0) {
      return "not a directory: " + std::string(path.substr(0, slash));
    }
  }
  files_[std::string(path)] = std::string(content);
  return std::nullopt;
}

bool MemoryFileStore::remove(std::string_view path) {
  if (!is_safe_relative_path(path)) return false;
  auto it = files_.find(path);
  if (it == files_.end()) return false;
  files_.erase(it);
  return true;
}

std::vector<std::string> MemoryFileStore::list(std::string_view dir) const {
  if (!dir.empty() && !is_safe_relative_path(dir)) return {};
  std::string prefix = dir.empty() ? std::string() : std::string(dir) + "/";
  std::set<std::string> names;
  for (auto it = files_.lower_bound(prefix);
       it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    std::string_view rest = std::string_view(it->first).substr(prefix.size());
    names.insert(std::string(rest.substr(0, rest.find('/'))));
  }
  return {names.begin(), names.end()};
}

bool MemoryFileStore::exists(std::string_view path) const {
  if (path.empty()) return true;
  if (!is_safe_relative_path(path)) return false;
  if (files_.count(path) != 0) return true;
  std::string prefix = std::string(path) + "/";
  auto it = files_.lower_bound(prefix);
  return it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace iscsi::initiator::iscsiadm
