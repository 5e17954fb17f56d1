// `iscsim io`: SCSI work on an iSCSI LU (io_options.cpp has the usage). With --sid N the
// command goes to the session daemon of $ISCSIM_HOME, which runs it on the session it holds;
// with a libiscsi URL it runs here: log in (CHAP from the URL or LIBISCSI_CHAP_PASSWORD), run
// the job, log out.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "apps/iscsim/commands.hpp"
#include "apps/iscsim/io_command.hpp"
#include "apps/iscsim/io_options.hpp"
#include "apps/iscsim/iscsid_service.hpp"
#include "apps/iscsim/iscsim_home.hpp"
#include "core/asio/control_channel.hpp"
#include "core/asio/runtime.hpp"
#include "core/runtime/address.hpp"
#include "initiator-impl/client/client.hpp"
#include "initiator-impl/io/iscsi_url.hpp"
#include "initiator-impl/iscsiadm/directory_file_store.hpp"
#include "initiator-impl/iscsiadm/home.hpp"

namespace iscsim {
namespace {

namespace client = iscsi::initiator::client;

// A 64 MiB transfer takes seconds; a slow target or a huge LU takes longer.
constexpr std::chrono::hours kDaemonReplyTimeout{2};
constexpr std::chrono::seconds kLoginLimit{60};
constexpr std::chrono::seconds kUrlLogoutLimit{15};

int print_reply(const std::string& out, const std::string& err, int exit_code) {
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  std::fwrite(err.data(), 1, err.size(), stderr);
  return exit_code;
}

int fail(int code, const std::string& sentence) {
  return print_reply({}, fmt::format("iscsim io: {}\n", sentence), code);
}

int run_through_daemon(const std::vector<std::string>& args) {
  const OpenedIscsimHome opened = open_iscsim_home(default_home_dir());
  if (!opened.home) return fail(kIoExitNoSession, "$ISCSIM_HOME " + opened.error);
  std::vector<std::string> request{"io"};
  for (std::string& arg : with_absolute_files(args)) request.push_back(std::move(arg));
  auto reply = iscsi::asio::send_control_request(opened.home->socket, {request},
                                                 kDaemonReplyTimeout);
  if (!reply.ok()) {
    // A daemon that closed without a reply was exiting: its last session had gone.
    if (reply.error().id() == iscsi::asio::kControlNotConnected.id ||
        reply.error().id() == iscsi::asio::kControlClosed.id) {
      return fail(kIoExitNoSession,
                  fmt::format("no session daemon serves {} (no logged-in session; log in with "
                              "`iscsim iscsiadm -m node -T IQN -p IP -l`)",
                              opened.home->dir));
    }
    return fail(kIoExitNoSession, reply.error().detail);
  }
  return print_reply(reply->out, reply->err, reply->exit_code);
}

// The login of URL mode: the URL's portal, target and CHAP; our initiator name from
// --initiator-name or $ISCSIM_HOME's initiatorname.iscsi.
std::optional<client::LoginRequest> url_login(const iscsi::initiator::io::IscsiUrl& url,
                                              const IoOptions& options,
                                              iscsi::asio::AsioRuntime& runtime,
                                              std::string& error) {
  client::LoginRequest request;
  const auto address = iscsi::runtime::parse_ipv4(url.host);
  if (!address) {
    error = fmt::format("{}: an IPv4 address is needed (names are not resolved)", url.host);
    return std::nullopt;
  }
  request.portal = iscsi::runtime::Endpoint{*address, url.port};
  if (options.initiator_name) {
    request.setup.initiator_name = *options.initiator_name;
  } else {
    const OpenedIscsimHome opened = open_iscsim_home(default_home_dir());
    if (!opened.home) {
      error = "$ISCSIM_HOME " + opened.error;
      return std::nullopt;
    }
    iscsi::initiator::iscsiadm::DirectoryFileStore files(opened.home->dir);
    auto home = iscsi::initiator::iscsiadm::open_home(files, runtime.rng());
    if (!home.home) {
      error = home.error;
      return std::nullopt;
    }
    request.setup.initiator_name = home.home->initiator_name;
  }
  request.setup.target_name = url.target;
  std::optional<std::string> password = url.password;
  if (!password) {
    if (const char* env = std::getenv("LIBISCSI_CHAP_PASSWORD")) password = env;
  }
  if (url.user) {
    iscsi::chap::OriginatorConfig chap;
    chap.credentials = {*url.user, password.value_or("")};
    request.setup.chap = chap;
  }
  request.recovery.max_attempts = 0;
  return request;
}

struct UrlRun {
  std::optional<client::LoginOutcome> login;
  std::optional<IoReply> reply;
  bool logged_out = false;
};

int run_with_url(IoOptions options) {
  auto url = iscsi::initiator::io::parse_iscsi_url(*options.url);
  if (!url.ok()) return fail(kIoExitUsage, url.error().detail);
  if (url->target.empty()) return fail(kIoExitUsage, "the URL names no target: .../target-iqn/lun");
  if (url->lun && options.lun && *url->lun != *options.lun) {
    return fail(kIoExitUsage, fmt::format("--lun {} differs from the URL's LUN {}", *options.lun,
                                          *url->lun));
  }
  if (url->lun) options.lun = url->lun;
  iscsi::asio::AsioRuntime runtime;
  std::string error;
  auto request = url_login(url.value(), options, runtime, error);
  if (!request) return fail(kIoExitUsage, error);
  client::Client initiator(
      {&runtime.network(), &runtime.timers(), &runtime.clock(), &runtime.rng(), nullptr});
  UrlRun run;
  initiator.login(std::move(*request), [&run, &runtime](client::LoginOutcome outcome) {
    run.login = std::move(outcome);
    runtime.stop();
  });
  const auto login_deadline = std::chrono::steady_clock::now() + kLoginLimit;
  while (!run.login && std::chrono::steady_clock::now() < login_deadline) {
    runtime.run_for(std::chrono::milliseconds(500));
  }
  if (!run.login) return fail(kIoExitNoSession, "the login did not finish in time");
  if (!run.login->ok()) return fail(kIoExitNoSession, run.login->describe());
  std::shared_ptr<client::Session> session = run.login->session;
  run_io_command(*session, options, [&run, &runtime](IoReply reply) {
    run.reply = std::move(reply);
    runtime.stop();
  });
  while (!run.reply) runtime.run_for(std::chrono::seconds(1));
  session->logout([&run, &runtime](const auto&) {
    run.logged_out = true;
    runtime.stop();
  });
  const auto logout_deadline = std::chrono::steady_clock::now() + kUrlLogoutLimit;
  while (!run.logged_out && std::chrono::steady_clock::now() < logout_deadline) {
    runtime.run_for(std::chrono::milliseconds(500));
  }
  return print_reply(run.reply->out, run.reply->err, run.reply->exit_code);
}

int run_io(const std::vector<std::string>& args) {
  const ParsedIoArgs parsed = parse_io_args(args);
  if (parsed.help) return print_reply(std::string(io_usage()), {}, kIoExitOk);
  if (!parsed.options) {
    return print_reply(
        {}, fmt::format("iscsim io: {}\n(iscsim io --help explains)\n", parsed.error),
        kIoExitUsage);
  }
  if (parsed.options->sid) return run_through_daemon(args);
  return run_with_url(*parsed.options);
}

}  // namespace

void register_io_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "io",
      "SCSI work on an iSCSI LU: iscsim io inquiry|readcap|luns|tur|read|write|verify "
      "(--sid N | iscsi://[user[%pass]@]host[:port]/iqn/lun) [options]; `iscsim io --help` "
      "explains with examples");
  cmd->prefix_command();
  cmd->set_help_flag();
  cmd->callback([cmd] { set_exit_code(run_io(cmd->remaining())); });
}

}  // namespace iscsim
