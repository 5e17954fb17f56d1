#pragma once
// One initiator session of the load test, over core's runtime interfaces: connect, log in
// (security stage with AuthMethod=None, then the operational stage, RFC 7143 §6.3), optionally
// one TEST UNIT READY, hold until told to log out, log out (reason "close the session",
// §11.14), and wait for the target to close the connection. Every step has a deadline.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/pdu/framer.hpp"
#include "core/pdu/pdu.hpp"
#include "core/runtime/network.hpp"
#include "core/runtime/stream.hpp"
#include "core/runtime/timer_service.hpp"

namespace iscsi::bench {

struct LoadSessionOptions {
  runtime::Endpoint portal;
  std::string initiator_name;
  std::string target_name;
  pdu::Isid isid{};
  bool test_unit_ready = true;
  std::uint32_t lun = 1;
  // Log out as soon as the session is up; otherwise wait for logout().
  bool logout_when_ready = true;
  runtime::Duration deadline = std::chrono::seconds(20);
  std::function<void()> on_ready;  // full feature phase reached (and TUR answered)
  std::function<void()> on_done;   // finished or failed; the object may then be destroyed
};

class LoadSession final : public runtime::StreamHandler {
 public:
  LoadSession(runtime::Network& network, runtime::TimerService& timers,
              LoadSessionOptions options);
  ~LoadSession() override;
  LoadSession(const LoadSession&) = delete;
  LoadSession& operator=(const LoadSession&) = delete;

  void start();
  // Sends the Logout Request (only in the full feature phase).
  void logout();

  bool done() const { return done_; }
  bool succeeded() const { return done_ && !error_; }
  const std::optional<std::string>& error() const { return error_; }
  // The TEST UNIT READY answered CHECK CONDITION (a unit attention, for example).
  bool tur_check_condition() const { return tur_check_condition_; }

  void on_data(ByteView bytes) override;
  void on_writable() override {}
  void on_closed(runtime::CloseReason reason) override;

 private:
  enum class Phase { connecting, security, operational, full_feature, logging_out, closing };

  void connected(std::unique_ptr<runtime::Stream> stream, runtime::CloseReason failure);
  void send_login(bool with_keys);
  void send_test_unit_ready();
  void handle(const pdu::Pdu& pdu);
  void handle_login(const pdu::LoginResponse& response);
  void handle_scsi(const pdu::ScsiResponse& response);
  void handle_logout(const pdu::LogoutResponse& response);
  void become_ready();
  void fail(std::string error);
  void finish();

  runtime::Network& network_;
  runtime::TimerService& timers_;
  LoadSessionOptions options_;
  std::unique_ptr<runtime::Stream> stream_;
  pdu::Framer framer_;
  std::optional<runtime::TimerId> deadline_timer_;
  Phase phase_ = Phase::connecting;
  // Login Responses with T=0 answered so far in this stage (a bounded loop).
  int stage_rounds_ = 0;
  std::uint16_t tsih_ = 0;
  std::uint32_t next_itt_ = 1;
  std::uint32_t cmd_sn_ = 0;
  std::uint32_t exp_stat_sn_ = 0;
  bool tur_check_condition_ = false;
  bool done_ = false;
  std::optional<std::string> error_;
};

}  // namespace iscsi::bench
