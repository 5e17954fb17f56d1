// The control channel's asynchronous serve mode, as the initiator's session daemon uses it: an
// answer given later than the hand-over (after a login's network round trips), the answer
// limit, one request at a time, and reply functions that outlive their request or the server.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/asio/control_channel.hpp"

namespace iscsi::asio {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Sends one request on its own thread; the result is read after join().
class AsyncClient {
 public:
  AsyncClient(ControlAddress to, ControlRequest request, runtime::Duration timeout) {
    thread_ = std::thread([this, to, request, timeout] {
      result_ = send_control_request(to, request, timeout);
      done_ = true;
    });
  }
  ~AsyncClient() { join(); }
  AsyncClient(const AsyncClient&) = delete;
  AsyncClient& operator=(const AsyncClient&) = delete;

  bool done() const { return done_; }
  const Result<ControlReply>& join() {
    if (thread_.joinable()) thread_.join();
    return *result_;
  }

 private:
  std::thread thread_;
  std::atomic<bool> done_{false};
  std::optional<Result<ControlReply>> result_;
};

// Polls serve_pending_async until a request is handed over or `limit` passes; the request's
// arguments and its reply function come back.
struct Handed {
  ControlRequest request;
  ControlServer::ReplyFunction reply;
};
std::optional<Handed> take_one(ControlServer& server, milliseconds limit = milliseconds(5000)) {
  std::optional<Handed> handed;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!handed && std::chrono::steady_clock::now() < deadline) {
    server.serve_pending_async(
        [&handed](const ControlRequest& request, ControlServer::ReplyFunction reply) {
          handed = Handed{request, std::move(reply)};
        });
    if (!handed) std::this_thread::sleep_for(milliseconds(2));
  }
  return handed;
}

// Counts the requests handed over during `span` without answering them.
std::size_t count_handed(ControlServer& server, milliseconds span) {
  std::size_t count = 0;
  const auto deadline = std::chrono::steady_clock::now() + span;
  while (std::chrono::steady_clock::now() < deadline) {
    count += server.serve_pending_async([](const ControlRequest&, ControlServer::ReplyFunction) {});
    std::this_thread::sleep_for(milliseconds(2));
  }
  return count;
}

std::uint32_t test_port(std::uint32_t offset) {
  // Abstract names are per network namespace: derive them from the pid so parallel runs of this
  // binary do not collide.
  return 20000 + static_cast<std::uint32_t>(::getpid() % 5000) * 2 + offset;
}

TEST(ControlChannelAsync, AnAnswerGivenLaterReachesTheWaitingClient) {
  const auto address = ControlAddress::control_port(test_port(0));
  auto server = ControlServer::start(address, {});
  ASSERT_TRUE(server.ok()) << server.error().to_string();
  AsyncClient client(address, {{"-m", "node", "-l"}}, seconds(10));
  auto handed = take_one(*server.value());
  ASSERT_TRUE(handed.has_value());
  EXPECT_EQ(handed->request.args, (std::vector<std::string>{"-m", "node", "-l"}));
  // The client is still waiting: the owner has not answered yet.
  EXPECT_FALSE(client.done());
  // The answer comes from another thread, as a login completion on the event loop would.
  std::thread later([reply = handed->reply] {
    reply({15, "out\n", "iscsiadm: err\n"});
  });
  later.join();
  const auto& answer = client.join();
  ASSERT_TRUE(answer.ok()) << answer.error().to_string();
  EXPECT_EQ(answer.value(), (ControlReply{15, "out\n", "iscsiadm: err\n"}));
}

TEST(ControlChannelAsync, TheSynchronousHandlerStillAnswersAtOnce) {
  const auto address = ControlAddress::control_port(test_port(1));
  auto server = ControlServer::start(address, {});
  ASSERT_TRUE(server.ok()) << server.error().to_string();
  AsyncClient client(address, {{"a", "b"}}, seconds(10));
  std::size_t served = 0;
  const auto deadline = std::chrono::steady_clock::now() + seconds(5);
  while (served == 0 && std::chrono::steady_clock::now() < deadline) {
    served = server.value()->serve_pending([](const ControlRequest& request) {
      return ControlReply{static_cast<int>(request.args.size()), request.args[1], ""};
    });
    std::this_thread::sleep_for(milliseconds(2));
  }
  ASSERT_EQ(served, 1U);
  const auto& answer = client.join();
  ASSERT_TRUE(answer.ok()) << answer.error().to_string();
  EXPECT_EQ(answer.value(), (ControlReply{2, "b", ""}));
}

TEST(ControlChannelAsync, PastTheAnswerLimitTheClientIsDroppedAndALateReplyIsIgnored) {
  const auto address = ControlAddress::control_port(test_port(0));
  ControlServerOptions options;
  options.answer_limit = milliseconds(200);
  auto server = ControlServer::start(address, {}, options);
  ASSERT_TRUE(server.ok()) << server.error().to_string();
  std::optional<Handed> first;
  {
    AsyncClient client(address, {{"first"}}, seconds(10));
    first = take_one(*server.value());
    ASSERT_TRUE(first.has_value());
    const auto& answer = client.join();
    // The channel gave up before the client's own limit: the client learns that the server
    // closed the connection without a reply.
    ASSERT_FALSE(answer.ok());
    EXPECT_EQ(answer.error().id(), kControlClosed.id) << answer.error().to_string();
  }
  // The next client must get its own answer, never the first request's late one.
  AsyncClient second(address, {{"second"}}, seconds(10));
  auto handed = take_one(*server.value());
  ASSERT_TRUE(handed.has_value());
  EXPECT_EQ(handed->request.args, std::vector<std::string>{"second"});
  first->reply({1, "late\n", ""});
  handed->reply({0, "second\n", ""});
  const auto& answer = second.join();
  ASSERT_TRUE(answer.ok()) << answer.error().to_string();
  EXPECT_EQ(answer.value().out, "second\n");
}

TEST(ControlChannelAsync, RequestsAreHandedOverOneAtATime) {
  const auto address = ControlAddress::control_port(test_port(1));
  auto server = ControlServer::start(address, {});
  ASSERT_TRUE(server.ok()) << server.error().to_string();
  AsyncClient one(address, {{"one"}}, seconds(10));
  auto first = take_one(*server.value());
  ASSERT_TRUE(first.has_value());
  AsyncClient two(address, {{"two"}}, seconds(10));
  // While the first is unanswered, the second waits in the listen queue: nothing is handed over.
  EXPECT_EQ(count_handed(*server.value(), milliseconds(100)), 0U);
  first->reply({0, first->request.args[0], ""});
  auto second = take_one(*server.value());
  ASSERT_TRUE(second.has_value());
  second->reply({0, second->request.args[0], ""});
  ASSERT_TRUE(one.join().ok());
  ASSERT_TRUE(two.join().ok());
  EXPECT_EQ(one.join().value().out, "one");
  EXPECT_EQ(two.join().value().out, "two");
}

TEST(ControlChannelAsync, AReplyAfterTheServerStoppedDoesNothing) {
  const auto address = ControlAddress::control_port(test_port(0));
  auto server = ControlServer::start(address, {});
  ASSERT_TRUE(server.ok()) << server.error().to_string();
  AsyncClient client(address, {{"x"}}, seconds(10));
  auto handed = take_one(*server.value());
  ASSERT_TRUE(handed.has_value());
  server.value().reset();
  // The client lost its server; the reply function still holds the shared state it needs.
  ASSERT_FALSE(client.join().ok());
  EXPECT_EQ(client.join().error().id(), kControlClosed.id);
  handed->reply({0, "too late", ""});
}

}  // namespace
}  // namespace iscsi::asio
