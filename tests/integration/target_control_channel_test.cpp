// The control channel between `iscsim tgtadm` and `iscsim target` (core/asio/control_*): its
// framing on its own, then a real abstract Unix socket in this process.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstring>
#include <thread>

#include "core/asio/control_channel.hpp"
#include "core/asio/control_protocol.hpp"

namespace iscsi::asio {
namespace {

// A control port of this test process (abstract sockets are per network namespace).
std::uint32_t test_port(std::uint32_t salt) {
  return 70000 + static_cast<std::uint32_t>(::getpid()) % 100000 * 4 + salt;
}

Result<ControlRequest> decode_request(ByteView wire) {
  auto length = control_request_body_length(wire.first(std::min<std::size_t>(wire.size(), 8)));
  if (!length.ok()) return length.error();
  if (wire.size() != kControlHeaderLength + length.value()) {
    return Violation{kControlMalformed, "length"};
  }
  return decode_control_request_body(wire.subspan(kControlHeaderLength));
}

TEST(ControlProtocol, RequestsAndRepliesRoundTrip) {
  const ControlRequest request{{"--lld", "iscsi", "--mode", "target", "--op", "show", ""}};
  auto wire = encode_control_request(request);
  ASSERT_TRUE(wire.ok());
  auto decoded = decode_request(wire.value());
  ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
  EXPECT_EQ(decoded.value(), request);

  const ControlReply reply{22, "out\n", "tgtadm: this target already exists\n"};
  auto reply_wire = encode_control_reply(reply);
  ASSERT_TRUE(reply_wire.ok());
  auto length = control_reply_body_length(ByteView(reply_wire.value()).first(8));
  ASSERT_TRUE(length.ok());
  auto back = decode_control_reply_body(ByteView(reply_wire.value()).subspan(8));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back.value(), reply);
  // A negative exit code survives the u32 on the wire.
  auto negative = encode_control_reply({-1, "", ""});
  ASSERT_TRUE(negative.ok());
  EXPECT_EQ(decode_control_reply_body(ByteView(negative.value()).subspan(8))->exit_code, -1);
}

TEST(ControlProtocol, EveryTruncationOfABodyIsMalformedNeverACrash) {
  auto wire = encode_control_request({{"--op", "show", "--tid", "1"}});
  ASSERT_TRUE(wire.ok());
  const ByteView body = ByteView(wire.value()).subspan(kControlHeaderLength);
  for (std::size_t cut = 0; cut < body.size(); ++cut) {
    auto decoded = decode_control_request_body(body.first(cut));
    ASSERT_FALSE(decoded.ok()) << "cut at " << cut;
    EXPECT_EQ(decoded.error().id(), kControlMalformed.id);
  }
  Bytes longer(body.begin(), body.end());
  longer.push_back(0);
  EXPECT_FALSE(decode_control_request_body(longer).ok());
}

TEST(ControlProtocol, BadMagicAndOversizedMessagesAreRefusedBeforeAllocation) {
  const Bytes wrong{'H', 'T', 'T', 'P', 0, 0, 0, 1};
  EXPECT_EQ(control_request_body_length(wrong).error().id(), kControlBadMagic.id);
  Bytes huge{'I', 'C', 'Q', '1', 0, 0, 0, 0};
  store_be32(huge.data() + 4, static_cast<std::uint32_t>(kMaxControlRequestBody + 1));
  EXPECT_EQ(control_request_body_length(huge).error().id(), kControlTooLarge.id);
  // An argument count past the bound inside a small body.
  Bytes many(4);
  store_be32(many.data(), static_cast<std::uint32_t>(kMaxControlArgs + 1));
  EXPECT_EQ(decode_control_request_body(many).error().id(), kControlTooLarge.id);
  EXPECT_FALSE(encode_control_request({std::vector<std::string>(kMaxControlArgs + 1, "x")}).ok());
  EXPECT_FALSE(encode_control_request({{std::string(kMaxControlArgLength + 1, 'x')}}).ok());
}

TEST(ControlChannel, ARequestIsAnsweredOnTheOwnersThread) {
  std::atomic<int> wakes{0};
  auto server = ControlServer::start(test_port(0), [&wakes] { ++wakes; });
  ASSERT_TRUE(server.ok()) << server.error().to_string();
  std::optional<Result<ControlReply>> answer;
  std::atomic<bool> done{false};
  std::thread client([&] {
    answer = send_control_request(test_port(0), {{"--mode", "system", "--op", "show"}},
                                  std::chrono::seconds(5));
    done = true;
  });
  const auto owner = std::this_thread::get_id();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done && std::chrono::steady_clock::now() < deadline) {
    server.value()->serve_pending([owner](const ControlRequest& request) {
      EXPECT_EQ(std::this_thread::get_id(), owner);
      return ControlReply{0, "args=" + std::to_string(request.args.size()) + "\n", ""};
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  client.join();
  ASSERT_TRUE(answer.has_value());
  ASSERT_TRUE(answer->ok()) << answer->error().to_string();
  EXPECT_EQ(answer->value().out, "args=4\n");
  EXPECT_GE(wakes.load(), 1);
}

TEST(ControlChannel, NoServerIsNotConnected) {
  auto reply = send_control_request(test_port(1), {{"--op", "show"}}, std::chrono::seconds(2));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().id(), kControlNotConnected.id);
}

TEST(ControlChannel, TwoServersCannotShareAControlPort) {
  auto first = ControlServer::start(test_port(2), {});
  ASSERT_TRUE(first.ok());
  auto second = ControlServer::start(test_port(2), {});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().id(), kControlBindFailed.id);
  // Different numbers coexist, as tgtd instances with different -C do.
  auto third = ControlServer::start(test_port(3), {});
  EXPECT_TRUE(third.ok());
}

TEST(ControlChannel, AnUnansweredRequestTimesOutOnTheClient) {
  auto server = ControlServer::start(test_port(0), {});
  ASSERT_TRUE(server.ok());
  auto reply = send_control_request(test_port(0), {{"--op", "show"}},
                                    std::chrono::milliseconds(200));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().id(), kControlTimedOut.id);
}

TEST(ControlChannel, GarbageFromAClientDoesNotStopTheServer) {
  auto server = ControlServer::start(test_port(1), {});
  ASSERT_TRUE(server.ok());
  EXPECT_EQ(control_socket_name(7), std::string("\0iscsim-tgtd.7", 14));
  // A client that sends a wrong magic is dropped; the next one is still served.
  {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string name = control_socket_name(test_port(1));
    std::memcpy(address.sun_path, name.data(), name.size());
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    ASSERT_EQ(::connect(fd, reinterpret_cast<const sockaddr*>(&address), length), 0);
    const char garbage[] = "GET / HTTP/1.0\r\n\r\n";
    EXPECT_GT(::write(fd, garbage, sizeof garbage - 1), 0);
    char byte = 0;
    EXPECT_LE(::read(fd, &byte, 1), 0);  // closed (or reset) without an answer
    ::close(fd);
  }
  std::optional<Result<ControlReply>> answer;
  std::atomic<bool> done{false};
  std::thread client([&] {
    answer = send_control_request(test_port(1), {{"ok"}}, std::chrono::seconds(5));
    done = true;
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done && std::chrono::steady_clock::now() < deadline) {
    server.value()->serve_pending([](const ControlRequest&) { return ControlReply{0, "y", ""}; });
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  client.join();
  ASSERT_TRUE(answer.has_value());
  EXPECT_TRUE(answer->ok());
}

}  // namespace
}  // namespace iscsi::asio
