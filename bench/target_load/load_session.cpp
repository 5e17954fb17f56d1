#include "bench/target_load/load_session.hpp"

#include <fmt/format.h>

#include <utility>
#include <variant>

#include "core/pdu/codec.hpp"
#include "core/pdu/lun.hpp"
#include "core/text/key_value.hpp"

namespace iscsi::bench {
namespace {

// A target may answer each login stage with T=0 a few times (RFC 7143 §6.3); more than this
// many rounds in one stage means the negotiation does not converge.
constexpr int kMaxStageRounds = 8;
// Operational keys offered: what libiscsi offers, so the target does the usual work.
constexpr std::string_view kOperationalKeys[][2] = {
    {"HeaderDigest", "None"},          {"DataDigest", "None"},
    {"MaxRecvDataSegmentLength", "262144"}, {"InitialR2T", "Yes"},
    {"ImmediateData", "Yes"},          {"MaxBurstLength", "262144"},
    {"FirstBurstLength", "65536"},     {"MaxConnections", "1"},
    {"ErrorRecoveryLevel", "0"},
};

}  // namespace

LoadSession::LoadSession(runtime::Network& network, runtime::TimerService& timers,
                         LoadSessionOptions options)
    : network_(network), timers_(timers), options_(std::move(options)) {}

LoadSession::~LoadSession() {
  if (deadline_timer_) timers_.cancel(*deadline_timer_);
  if (stream_) stream_->set_handler(nullptr);
}

void LoadSession::start() {
  deadline_timer_ = timers_.schedule_after(options_.deadline, [this] {
    deadline_timer_.reset();
    fail(fmt::format("deadline passed in phase {}", static_cast<int>(phase_)));
  });
  network_.connect({.remote = options_.portal, .local_ipv4 = 0, .timeout = options_.deadline},
                   [this](std::unique_ptr<runtime::Stream> stream, runtime::CloseReason failure) {
                     connected(std::move(stream), failure);
                   });
}

void LoadSession::connected(std::unique_ptr<runtime::Stream> stream,
                            runtime::CloseReason failure) {
  if (done_) return;
  if (!stream) return fail(fmt::format("connect failed: {}", runtime::to_string(failure)));
  stream_ = std::move(stream);
  stream_->set_handler(this);
  phase_ = Phase::security;
  send_login(true);
}

// The first request of a stage carries the keys; a T=0 answer gets an empty request in the
// same stage (RFC 7143 §6.3: the initiator keeps offering T=1 until the target agrees).
void LoadSession::send_login(bool with_keys) {
  pdu::LoginRequest request;
  request.transit = true;
  request.csg = phase_ == Phase::security ? pdu::Stage::security_negotiation
                                          : pdu::Stage::login_operational_negotiation;
  request.nsg = phase_ == Phase::security ? pdu::Stage::login_operational_negotiation
                                          : pdu::Stage::full_feature_phase;
  request.isid = options_.isid;
  request.tsih = tsih_;
  request.itt = next_itt_;
  request.cmd_sn = cmd_sn_;
  request.exp_stat_sn = exp_stat_sn_;
  Bytes keys;
  if (with_keys && phase_ == Phase::security) {
    text::append_pair(keys, "InitiatorName", options_.initiator_name);
    text::append_pair(keys, "SessionType", "Normal");
    text::append_pair(keys, "TargetName", options_.target_name);
    text::append_pair(keys, "AuthMethod", "None");
  } else if (with_keys) {
    for (const auto& pair : kOperationalKeys) text::append_pair(keys, pair[0], pair[1]);
  }
  stream_->write(pdu::encode(pdu::Pdu{request, std::move(keys), {}}));
}

void LoadSession::send_test_unit_ready() {
  pdu::ScsiCommand command;
  command.lun = pdu::Lun::from_number(options_.lun).value_or(pdu::Lun{});
  command.itt = ++next_itt_;
  command.cmd_sn = cmd_sn_++;
  command.exp_stat_sn = exp_stat_sn_;
  // CDB all zero: TEST UNIT READY (SPC-4 §6.47).
  stream_->write(pdu::encode(pdu::Pdu{command, {}, {}}));
}

void LoadSession::logout() {
  if (done_ || phase_ != Phase::full_feature) return;
  phase_ = Phase::logging_out;
  pdu::LogoutRequest request;
  request.reason_code = pdu::LogoutReason::close_session;
  request.itt = ++next_itt_;
  request.cmd_sn = cmd_sn_++;
  request.exp_stat_sn = exp_stat_sn_;
  stream_->write(pdu::encode(pdu::Pdu{request, {}, {}}));
}

void LoadSession::on_data(ByteView bytes) {
  if (done_) return;
  framer_.feed(bytes);
  for (;;) {
    pdu::FrameEvent event = framer_.next();
    if (std::holds_alternative<pdu::NeedMore>(event)) return;
    if (auto* error = std::get_if<pdu::FrameError>(&event)) {
      return fail(error->violation.to_string());
    }
    handle(std::get<pdu::DecodedPdu>(event).pdu);
    if (done_) return;
  }
}

void LoadSession::handle(const pdu::Pdu& pdu) {
  if (const auto* login = std::get_if<pdu::LoginResponse>(&pdu.header)) {
    return handle_login(*login);
  }
  if (const auto* scsi = std::get_if<pdu::ScsiResponse>(&pdu.header)) return handle_scsi(*scsi);
  if (const auto* out = std::get_if<pdu::LogoutResponse>(&pdu.header)) return handle_logout(*out);
  if (const auto* ping = std::get_if<pdu::NopIn>(&pdu.header)) {
    // A target's NOP-In with a TTT wants a NOP-Out back (RFC 7143 §11.19).
    if (ping->ttt == pdu::kReservedTag || phase_ != Phase::full_feature) return;
    pdu::NopOut answer;
    answer.immediate = true;
    answer.itt = pdu::kReservedTag;
    answer.ttt = ping->ttt;
    answer.lun = ping->lun;
    answer.cmd_sn = cmd_sn_;
    answer.exp_stat_sn = exp_stat_sn_;
    stream_->write(pdu::encode(pdu::Pdu{answer, {}, {}}));
    return;
  }
  fail(fmt::format("unexpected PDU, opcode 0x{:02x}", static_cast<unsigned>(pdu::opcode(pdu))));
}

void LoadSession::handle_login(const pdu::LoginResponse& response) {
  if (phase_ != Phase::security && phase_ != Phase::operational) {
    return fail("Login Response outside the login phase");
  }
  if (response.status_class != 0) {
    return fail(fmt::format("login refused: status 0x{:02x}{:02x}", response.status_class,
                            response.status_detail));
  }
  exp_stat_sn_ = response.stat_sn + 1;
  tsih_ = response.tsih;
  if (!response.transit) {
    if (++stage_rounds_ > kMaxStageRounds) return fail("login stage does not converge");
    return send_login(false);
  }
  stage_rounds_ = 0;
  if (response.nsg == pdu::Stage::full_feature_phase) {
    // RFC 7143 §11.12.6: the first command carries the login's CmdSN.
    phase_ = Phase::full_feature;
    if (options_.test_unit_ready) return send_test_unit_ready();
    return become_ready();
  }
  phase_ = Phase::operational;
  send_login(true);
}

void LoadSession::handle_scsi(const pdu::ScsiResponse& response) {
  if (phase_ != Phase::full_feature) return fail("SCSI Response outside the full feature phase");
  exp_stat_sn_ = response.stat_sn + 1;
  if (response.response != pdu::ScsiResponseCode::command_completed_at_target) {
    return fail("TEST UNIT READY: target failure");
  }
  // GOOD, or CHECK CONDITION (a unit attention after login is legitimate, SAM-5 §5.14).
  if (response.status != 0x00 && response.status != 0x02) {
    return fail(fmt::format("TEST UNIT READY: SCSI status 0x{:02x}", response.status));
  }
  tur_check_condition_ = response.status == 0x02;
  become_ready();
}

void LoadSession::become_ready() {
  if (options_.on_ready) options_.on_ready();
  if (options_.logout_when_ready) logout();
}

void LoadSession::handle_logout(const pdu::LogoutResponse& response) {
  if (phase_ != Phase::logging_out) return fail("Logout Response without a Logout Request");
  if (response.response != pdu::LogoutResponseCode::closed_successfully) {
    return fail(fmt::format("logout answered {}", pdu::to_string(response.response)));
  }
  // RFC 7143 §11.15: the target closes the connection after this response.
  phase_ = Phase::closing;
  stream_->shutdown_write();
}

void LoadSession::on_closed(runtime::CloseReason reason) {
  if (done_) return;
  if (phase_ == Phase::closing && reason == runtime::CloseReason::peer_fin) return finish();
  fail(fmt::format("connection closed ({}) in phase {}", runtime::to_string(reason),
                   static_cast<int>(phase_)));
}

void LoadSession::fail(std::string error) {
  if (done_) return;
  error_ = std::move(error);
  if (stream_) stream_->abort();
  finish();
}

void LoadSession::finish() {
  if (done_) return;
  done_ = true;
  if (deadline_timer_) timers_.cancel(*deadline_timer_);
  deadline_timer_.reset();
  if (stream_) stream_->set_handler(nullptr);
  if (options_.on_done) options_.on_done();
}

}  // namespace iscsi::bench
