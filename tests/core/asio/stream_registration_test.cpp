// How the socket runtime registers its sockets with the kernel's epoll (tcp_network.cpp): a
// socket that connected is watched for readability only, so the ACKs that free its send buffer
// do not wake the loop. Read from /proc/self/fdinfo, where Linux lists each epoll instance's
// watched descriptors with their event masks.
#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/core/asio/loop_helpers.hpp"

namespace iscsi::asio::test {
namespace {

struct WatchedDescriptor {
  int fd = -1;
  std::uint32_t events = 0;
};

// Every descriptor that some epoll instance of this process watches ("tfd: 7 events: 19 ...").
std::vector<WatchedDescriptor> epoll_watch_list() {
  std::vector<WatchedDescriptor> watched;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const auto target = std::filesystem::read_symlink(entry.path(), ec);
    if (ec || target.string() != "anon_inode:[eventpoll]") continue;
    std::ifstream info("/proc/self/fdinfo/" + entry.path().filename().string());
    std::string line;
    while (std::getline(info, line)) {
      std::istringstream fields(line);
      std::string tfd_label, events_label;
      WatchedDescriptor descriptor;
      if (fields >> tfd_label >> descriptor.fd >> events_label >> std::hex >> descriptor.events &&
          tfd_label == "tfd:" && events_label == "events:") {
        watched.push_back(descriptor);
      }
    }
  }
  return watched;
}

TEST(AsioStreamRegistration, AConnectedSocketIsWatchedForReadabilityOnly) {
  AsioRuntime rt;
  const auto pair = connect_recorded_pair(rt);
  ASSERT_TRUE(pair);
  // Bytes across: both streams are reading, so both sockets are registered.
  ASSERT_TRUE(pair->streams.client->write(pattern(1000, 1)));
  ASSERT_TRUE(run_until(rt, [&] { return pair->server.received.size() == 1000; }));

  const std::vector<WatchedDescriptor> watched = epoll_watch_list();
  ASSERT_FALSE(watched.empty()) << "no epoll instance found in /proc/self/fdinfo";
  int watched_for_reading = 0;
  for (const WatchedDescriptor& descriptor : watched) {
    EXPECT_EQ(descriptor.events & EPOLLOUT, 0u)
        << "fd " << descriptor.fd << " is watched for writability (events 0x" << std::hex
        << descriptor.events << ")";
    if ((descriptor.events & EPOLLIN) != 0) ++watched_for_reading;
  }
  // Both ends of the pair, and the reactor's own timer and interrupter.
  EXPECT_GE(watched_for_reading, 4);
}

}  // namespace
}  // namespace iscsi::asio::test
