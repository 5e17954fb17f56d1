#pragma once
// FileStore on a real directory ($ISCSIM_HOME) with std::filesystem. Every path is checked
// by is_safe_relative_path() before it is joined to the root, and must still resolve inside
// the root after symlinks, so nothing is read or written outside it.
#include <filesystem>

#include "initiator-impl/iscsiadm/file_store.hpp"

namespace iscsi::initiator::iscsiadm {

class DirectoryFileStore final : public FileStore {
 public:
  explicit DirectoryFileStore(std::filesystem::path root);

  std::optional<std::string> read(std::string_view path) const override;
  std::optional<std::string> write(std::string_view path, std::string_view content) override;
  bool remove(std::string_view path) override;
  std::vector<std::string> list(std::string_view dir) const override;
  bool exists(std::string_view path) const override;

  const std::filesystem::path& root() const { return root_; }

 private:
  // The full path of a safe relative path that stays inside the root, or nullopt.
  std::optional<std::filesystem::path> resolve(std::string_view path) const;

  std::filesystem::path root_;
};

}  // namespace iscsi::initiator::iscsiadm
