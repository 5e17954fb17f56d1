#include "initiator-impl/iscsiadm/directory_file_store.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <system_error>

namespace iscsi::initiator::iscsiadm {

namespace fs = std::filesystem;

namespace {

// True when `full` resolves (through any symlinks that exist) to a place inside `root`: a
// symlink planted in the store must not lead a read or write outside it.
bool stays_inside(const fs::path& root, const fs::path& full) {
  std::error_code ec;
  fs::path base = fs::weakly_canonical(root, ec);
  if (ec) return false;
  fs::path resolved = fs::weakly_canonical(full, ec);
  if (ec) return false;
  return std::mismatch(base.begin(), base.end(), resolved.begin(), resolved.end()).first ==
         base.end();
}

}  // namespace

// A trailing separator is dropped so that the pruning in remove() recognises the root.
DirectoryFileStore::DirectoryFileStore(fs::path root) : root_(root.lexically_normal()) {
  if (!root_.has_filename() && root_.has_relative_path()) root_ = root_.parent_path();
}

std::optional<fs::path> DirectoryFileStore::resolve(std::string_view path) const {
  if (!is_safe_relative_path(path)) return std::nullopt;
  fs::path full = root_ / fs::path(std::string(path));
  if (!stays_inside(root_, full)) return std::nullopt;
  return full;
}

std::optional<std::string> DirectoryFileStore::read(std::string_view path) const {
  auto resolved = resolve(path);
  if (!resolved) return std::nullopt;
  const fs::path& full = *resolved;
  std::error_code ec;
  if (!fs::is_regular_file(full, ec)) return std::nullopt;
  auto size = fs::file_size(full, ec);
  if (ec || size > kMaxFileBytes) return std::nullopt;
  std::ifstream in(full, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::optional<std::string> DirectoryFileStore::write(std::string_view path,
                                                     std::string_view content) {
  auto resolved = resolve(path);
  if (!resolved) return "unsafe path '" + std::string(path) + "'";
  if (content.size() > kMaxFileBytes) return "file too large: " + std::string(path);
  const fs::path& full = *resolved;
  std::error_code ec;
  fs::create_directories(full.parent_path(), ec);
  if (ec) return "cannot create " + full.parent_path().string() + ": " + ec.message();
  // Write a sibling first and rename it over the file, so a crash never leaves half a record.
  fs::path temp = full;
  temp += ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return "cannot write " + temp.string();
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) return "cannot write " + temp.string();
  }
  fs::rename(temp, full, ec);
  if (ec) return "cannot replace " + full.string() + ": " + ec.message();
  return std::nullopt;
}

bool DirectoryFileStore::remove(std::string_view path) {
  auto resolved = resolve(path);
  if (!resolved) return false;
  const fs::path& full = *resolved;
  std::error_code ec;
  if (!fs::is_regular_file(full, ec) || !fs::remove(full, ec)) return false;
  // Prune the directories the file leaves empty, never the root itself.
  for (fs::path dir = full.parent_path();; dir = dir.parent_path()) {
    fs::path below_root = dir.lexically_relative(root_);
    if (below_root.empty() || below_root == "." || *below_root.begin() == "..") break;
    if (!fs::is_empty(dir, ec) || ec || !fs::remove(dir, ec)) break;
  }
  return true;
}

std::vector<std::string> DirectoryFileStore::list(std::string_view dir) const {
  std::optional<fs::path> resolved = dir.empty() ? std::optional<fs::path>(root_) : resolve(dir);
  if (!resolved) return {};
  const fs::path& full = *resolved;
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(full, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    // Half-written siblings of write() are not entries.
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".tmp") == 0) continue;
    names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool DirectoryFileStore::exists(std::string_view path) const {
  std::error_code ec;
  if (path.empty()) return fs::exists(root_, ec);
  auto resolved = resolve(path);
  return resolved && fs::exists(*resolved, ec);
}

}  // namespace iscsi::initiator::iscsiadm
