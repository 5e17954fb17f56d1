#pragma once
// What the session daemon does with one control request, apart from its socket and its loop:
//   ["iscsiadm", args...] -> InitiatorHost::iscsiadm(args) -> {exit, out, err}
//   ["io", args...]       -> `iscsim io` on the session --sid names
// The answer comes later, from the host's event loop, through the channel's reply function.
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/asio/control_channel.hpp"
#include "initiator-impl/host/initiator_host.hpp"

namespace iscsim {

// The daemon exits when no request came this long after its start and it holds no session
// (a front end that started it sends its login at once).
inline constexpr std::chrono::seconds kIdleLimit{10};
// The longest answer: a login with all its retries (open-iscsi: about 120 s by default).
inline constexpr std::chrono::minutes kAnswerLimit{30};
// A front end waits this long for a daemon it started to serve.
inline constexpr std::chrono::seconds kStartLimit{15};

class IscsidService {
 public:
  using Log = std::function<void(const std::string&)>;
  // `wake` runs after each answer, so the owner's loop looks at the sessions again.
  IscsidService(iscsi::initiator::host::InitiatorHost& host, std::function<void()> wake,
                Log log);

  void handle(const std::vector<std::string>& args,
              iscsi::asio::ControlServer::ReplyFunction reply);

  bool busy() const { return busy_; }
  std::size_t handled() const { return handled_; }

 private:
  void run_io(const std::vector<std::string>& args,
              iscsi::asio::ControlServer::ReplyFunction reply);
  void finish(const std::string& what, iscsi::asio::ControlReply answer,
              const iscsi::asio::ControlServer::ReplyFunction& reply);

  iscsi::initiator::host::InitiatorHost& host_;
  std::function<void()> wake_;
  Log log_;
  bool busy_ = false;
  std::size_t handled_ = 0;
};

// The request as the log shows it: secrets (-v after a -n naming a password) masked.
std::string describe_request(const std::vector<std::string>& args);

}  // namespace iscsim
