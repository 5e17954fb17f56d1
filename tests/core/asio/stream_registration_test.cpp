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
  auto pair = connect_pair(rt);
  ASSERT_TRUE(pair);
  RecordingHandler client;
  RecordingHandler server;
  pair->client->set_handler(&client);
  pair->server->set_handler(&server);
  // A round trip: both streams are reading, so both sockets are registered.
  ASSERT_TRUE(pair->client->write(pattern(1000, 1)));
  ASSERT_TRUE(run_until(rt, [&] { return server.received.size() == 1000; }));

  const std::vector<WatchedDescriptor> watched = epoll_watch_list();
  ASSERT_FALSE(watched.empty()) << "no epoll instance found in /proc/self/fdinfo";
  int readable_sockets = 0;
  for (const WatchedDescriptor& descriptor : watched) {
    EXPECT_EQ(descriptor.events & EPOLLOUT, 0u)
        << "fd " << descriptor.fd << " is watched for writability (events 0x" << std::hex
        << descriptor.events << ")";
    if ((descriptor.events & EPOLLIN) != 0) ++readable_sockets;
  }
  // The listener, both ends of the pair, the reactor's timer and its interrupter at least.
  EXPECT_GE(readable_sockets, 3);
}

}  // namespace
}  // namespace iscsi::asio::test
