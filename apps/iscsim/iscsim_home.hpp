#pragma once
// $ISCSIM_HOME as the front ends and the session daemon see it: where it is (the variable, or
// ~/.iscsim), created with mode 0700 on first use, and the daemon's files inside it.
#include <optional>
#include <string>

#include "core/asio/control_channel.hpp"

namespace iscsim {

struct IscsimHome {
  std::string dir;  // absolute, without a trailing slash
  iscsi::asio::ControlAddress socket;
  std::string socket_path() const { return dir + "/iscsid.sock"; }
  std::string log_path() const { return dir + "/iscsid.log"; }
  std::string pid_path() const { return dir + "/iscsid.pid"; }
};

// $ISCSIM_HOME, or $HOME/.iscsim when it is unset or empty.
std::string default_home_dir();

// Makes `dir` absolute, creates it (mode 0700, parents as needed) when missing, and checks that
// its socket path fits a Unix socket address. On failure, one sentence naming the directory.
struct OpenedIscsimHome {
  std::optional<IscsimHome> home;
  std::string error;
};
OpenedIscsimHome open_iscsim_home(const std::string& dir);

}  // namespace iscsim
