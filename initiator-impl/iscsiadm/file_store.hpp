#pragma once
// The files under $ISCSIM_HOME (laid out like /etc/iscsi), reached only through this
// interface so that scenarios run the iscsiadm model in memory. Paths are relative, with '/'
// separators; a path with an empty, "." or ".." component, a leading '/', a backslash, a
// blank or control byte, or a component over 255 bytes (NAME_MAX) is refused by every
// implementation (nothing is ever written outside the root).
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iscsi::initiator::iscsiadm {

class FileStore {
 public:
  virtual ~FileStore() = default;
  // The whole file, or nullopt when it does not exist, is a directory or the path is unsafe.
  virtual std::optional<std::string> read(std::string_view path) const = 0;
  // Creates or replaces the file (and its parent directories). Returns an error sentence, or
  // nullopt on success.
  virtual std::optional<std::string> write(std::string_view path, std::string_view content) = 0;
  // Removes a file, then every parent directory it leaves empty. False if there was none.
  virtual bool remove(std::string_view path) = 0;
  // The names (not paths) of the entries of a directory, sorted; empty if it does not exist.
  virtual std::vector<std::string> list(std::string_view dir) const = 0;
  // True for an existing file or directory.
  virtual bool exists(std::string_view path) const = 0;
};

// Bounds that keep a hostile or corrupted store from exhausting memory.
inline constexpr std::size_t kMaxPathChars = 4096;
inline constexpr std::size_t kMaxFileBytes = 1 << 20;
inline constexpr std::size_t kMaxComponentChars = 255;

// The rule above; the empty path (the root itself) is safe only for list() and exists().
bool is_safe_relative_path(std::string_view path);
// A name usable as one path component (a target name, an iface name): see above.
bool is_safe_component(std::string_view name);

// Files in a map: for scenarios and tests. Directories exist while they hold a file.
class MemoryFileStore final : public FileStore {
 public:
  std::optional<std::string> read(std::string_view path) const override;
  std::optional<std::string> write(std::string_view path, std::string_view content) override;
  bool remove(std::string_view path) override;
  std::vector<std::string> list(std::string_view dir) const override;
  bool exists(std::string_view path) const override;

  const std::map<std::string, std::string, std::less<>>& files() const { return files_; }

 private:
  std::map<std::string, std::string, std::less<>> files_;
};

}  // namespace iscsi::initiator::iscsiadm
