// The control channel on a filesystem socket (ControlAddress::socket_path), as the initiator's
// session daemon uses it under $ISCSIM_HOME: round trip, the file's mode and life cycle, and the
// refusals. Every test works in its own fresh directory under /tmp.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>

#include "core/asio/control_channel.hpp"

namespace iscsi::asio {
namespace {

// A fresh directory removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/iscsim-ctl-XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

ControlAddress path_address(const std::string& path) {
  auto address = ControlAddress::socket_path(path);
  EXPECT_TRUE(address.ok()) << address.error().to_string();
  return address.value();
}

bool exists(const std::string& path) {
  struct stat info {};
  return ::lstat(path.c_str(), &info) == 0;
}

// Sends one request from another thread and serves it here, as a daemon's loop does.
std::optional<Result<ControlReply>> round_trip(ControlServer& server, const ControlAddress& to,
                                               const ControlRequest& request) {
  std::optional<Result<ControlReply>> answer;
  std::atomic<bool> done{false};
  std::thread client([&] {
    answer = send_control_request(to, request, std::chrono::seconds(5));
    done = true;
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done && std::chrono::steady_clock::now() < deadline) {
    server.serve_pending([](const ControlRequest& received) {
      std::string joined;
      for (const auto& arg : received.args) joined += "[" + arg + "]";
      return ControlReply{3, joined + "\n", "to stderr\n"};
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  client.join();
  return answer;
}

// Leaves a socket file with nobody listening on it, as a killed daemon does.
void leave_stale_socket(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), path.size());
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  ::close(fd);
}

TEST(ControlAddress, DescribesItselfForMessages) {
  EXPECT_EQ(ControlAddress::control_port(3).describe(), "control port 3");
  EXPECT_TRUE(ControlAddress::control_port(3).is_control_port());
  const ControlAddress path = path_address("/x/iscsid.sock");
  EXPECT_EQ(path.describe(), "socket /x/iscsid.sock");
  EXPECT_FALSE(path.is_control_port());
  EXPECT_EQ(path.path(), "/x/iscsid.sock");
}

TEST(ControlAddress, APathLongerThanSunPathIsRefusedByName) {
  const std::string longest = "/tmp/" + std::string(kMaxControlSocketPath - 5, 'a');
  EXPECT_TRUE(ControlAddress::socket_path(longest).ok());
  const std::string too_long = longest + "b";
  auto refused = ControlAddress::socket_path(too_long);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().id(), kControlBadPath.id);
  EXPECT_NE(refused.error().detail.find(too_long), std::string::npos) << refused.error().detail;
  EXPECT_NE(refused.error().detail.find("at most 107"), std::string::npos)
      << refused.error().detail;
  EXPECT_FALSE(ControlAddress::socket_path("").ok());
  EXPECT_FALSE(ControlAddress::socket_path(std::string("/tmp/a\0b", 8)).ok());
}

TEST(ControlChannelPath, ARequestRoundTripsAndTheFileIsOwnerOnly) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const ControlAddress address = path_address(dir.path() + "/iscsid.sock");
  auto server = ControlServer::start(address, {});
  ASSERT_TRUE(server.ok()) << server.error().to_string();
  EXPECT_EQ(server.value()->address(), address);
  struct stat info {};
  ASSERT_EQ(::stat(address.path().c_str(), &info), 0);
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  EXPECT_EQ(info.st_mode & 07777, 0600u);
  auto answer = round_trip(*server.value(), address, {{"-m", "session", ""}});
  ASSERT_TRUE(answer.has_value());
  ASSERT_TRUE(answer->ok()) << answer->error().to_string();
  EXPECT_EQ(answer->value(), (ControlReply{3, "[-m][session][]\n", "to stderr\n"}));
}

TEST(ControlChannelPath, TheFileIsRemovedWhenTheServerStops) {
  TempDir dir;
  const ControlAddress address = path_address(dir.path() + "/iscsid.sock");
  {
    auto server = ControlServer::start(address, {});
    ASSERT_TRUE(server.ok()) << server.error().to_string();
    EXPECT_TRUE(exists(address.path()));
  }
  EXPECT_FALSE(exists(address.path()));
  auto reply = send_control_request(address, {{"x"}}, std::chrono::seconds(2));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().id(), kControlNotConnected.id);
}

TEST(ControlChannelPath, AStaleFileFromADeadServerIsReplaced) {
  TempDir dir;
  const ControlAddress address = path_address(dir.path() + "/iscsid.sock");
  leave_stale_socket(address.path());
  ASSERT_TRUE(exists(address.path()));
  auto server = ControlServer::start(address, {});
  ASSERT_TRUE(server.ok()) << server.error().to_string();
  auto answer = round_trip(*server.value(), address, {{"again"}});
  ASSERT_TRUE(answer.has_value());
  ASSERT_TRUE(answer->ok()) << answer->error().to_string();
  EXPECT_EQ(answer->value().out, "[again]\n");
}

TEST(ControlChannelPath, ASecondServerOnALivePathIsRefusedAndTheFirstKeepsServing) {
  TempDir dir;
  const ControlAddress address = path_address(dir.path() + "/iscsid.sock");
  auto first = ControlServer::start(address, {});
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  auto second = ControlServer::start(address, {});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().id(), kControlBindFailed.id);
  EXPECT_NE(second.error().detail.find("socket " + address.path()), std::string::npos)
      << second.error().detail;
  EXPECT_NE(second.error().detail.find("already listens"), std::string::npos)
      << second.error().detail;
  auto answer = round_trip(*first.value(), address, {{"still"}});
  ASSERT_TRUE(answer.has_value());
  ASSERT_TRUE(answer->ok()) << answer->error().to_string();
  EXPECT_EQ(answer->value().out, "[still]\n");
}

TEST(ControlChannelPath, AFileThatIsNotASocketIsNeverRemoved) {
  TempDir dir;
  const std::string path = dir.path() + "/iscsid.sock";
  std::ofstream(path) << "precious\n";
  auto server = ControlServer::start(path_address(path), {});
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.error().id(), kControlBindFailed.id);
  EXPECT_NE(server.error().detail.find("not a socket"), std::string::npos)
      << server.error().detail;
  std::ifstream kept(path);
  std::string line;
  std::getline(kept, line);
  EXPECT_EQ(line, "precious");
}

TEST(ControlChannelPath, AClientToAMissingPathIsNotConnected) {
  TempDir dir;
  const ControlAddress address = path_address(dir.path() + "/nobody.sock");
  auto reply = send_control_request(address, {{"-m", "session"}}, std::chrono::seconds(2));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().id(), kControlNotConnected.id);
  EXPECT_NE(reply.error().detail.find("socket " + address.path()), std::string::npos)
      << reply.error().detail;
}

}  // namespace
}  // namespace iscsi::asio
