#include "apps/iscsim/iscsim_home.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

namespace iscsim {

std::string default_home_dir() {
  const char* home = std::getenv("ISCSIM_HOME");
  if (home != nullptr && *home != '\0') return home;
  const char* user_home = std::getenv("HOME");
  return std::string(user_home != nullptr && *user_home != '\0' ? user_home : ".") + "/.iscsim";
}

OpenedIscsimHome open_iscsim_home(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::path path = fs::absolute(fs::path(dir), error).lexically_normal();
  if (error) return {std::nullopt, fmt::format("{}: {}", dir, error.message())};
  std::string text = path.string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  if (!fs::exists(path, error)) {
    fs::create_directories(path, error);
    // The home holds CHAP secrets (node records, iscsid.conf): owner only, as /etc/iscsi is
    // root's only.
    if (error || ::chmod(text.c_str(), S_IRWXU) != 0) {
      return {std::nullopt, fmt::format("{}: cannot create the directory: {}", text,
                                        error ? error.message() : "chmod failed")};
    }
  } else if (!fs::is_directory(path, error)) {
    return {std::nullopt, fmt::format("{}: not a directory", text)};
  }
  auto socket = iscsi::asio::ControlAddress::socket_path(text + "/iscsid.sock");
  if (!socket.ok()) return {std::nullopt, socket.error().detail};
  return {IscsimHome{text, socket.value()}, {}};
}

}  // namespace iscsim
