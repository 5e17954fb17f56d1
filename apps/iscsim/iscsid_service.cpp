#include "apps/iscsim/iscsid_service.hpp"

#include <memory>
#include <utility>

#include <fmt/format.h>

#include "apps/iscsim/io_command.hpp"
#include "apps/iscsim/io_options.hpp"

namespace iscsim {

IscsidService::IscsidService(iscsi::initiator::host::InitiatorHost& host,
                             std::function<void()> wake, Log log)
    : host_(host), wake_(std::move(wake)), log_(std::move(log)) {}

void IscsidService::handle(const std::vector<std::string>& args,
                           iscsi::asio::ControlServer::ReplyFunction reply) {
  busy_ = true;
  const std::string what = describe_request(args);
  log_(fmt::format("request: {}", what));
  if (!args.empty() && args[0] == "iscsiadm") {
    std::vector<std::string> rest(args.begin() + 1, args.end());
    host_.iscsiadm(std::move(rest), [this, what, reply](iscsi::initiator::iscsiadm::Report report) {
      finish(what, {report.exit_code, report.out, report.err}, reply);
    });
    return;
  }
  if (!args.empty() && args[0] == "io") {
    run_io({args.begin() + 1, args.end()}, std::move(reply));
    return;
  }
  finish(what, {kIoExitUsage, "", "iscsid: unknown request (expected iscsiadm or io)\n"}, reply);
}

void IscsidService::run_io(const std::vector<std::string>& args,
                           iscsi::asio::ControlServer::ReplyFunction reply) {
  const std::string what = describe_request(args);
  const ParsedIoArgs parsed = parse_io_args(args);
  if (!parsed.options || !parsed.options->sid) {
    const std::string error =
        parsed.error.empty() ? "the daemon serves --sid N only" : parsed.error;
    finish(what, {kIoExitUsage, "", fmt::format("iscsim io: {}\n", error)}, reply);
    return;
  }
  const int sid = *parsed.options->sid;
  std::shared_ptr<iscsi::initiator::client::Session> session = host_.session(sid);
  if (!session) {
    finish(what,
           {kIoExitNoSession, "",
            fmt::format("iscsim io: no session with sid {} (`iscsim iscsiadm -m session` lists "
                        "them)\n",
                        sid)},
           reply);
    return;
  }
  run_io_command(*session, *parsed.options, [this, what, reply, session](IoReply answer) {
    finish(what, {answer.exit_code, answer.out, answer.err}, reply);
  });
}

void IscsidService::finish(const std::string& what, iscsi::asio::ControlReply answer,
                           const iscsi::asio::ControlServer::ReplyFunction& reply) {
  log_(fmt::format("answered: {} -> exit {}", what, answer.exit_code));
  if (!answer.err.empty()) log_(fmt::format("  stderr: {}", answer.err));
  busy_ = false;
  ++handled_;
  reply(std::move(answer));
  if (wake_) wake_();
}

std::string describe_request(const std::vector<std::string>& args) {
  std::string text;
  bool secret_name = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (!text.empty()) text += ' ';
    const bool masked = secret_name && i > 0 && (args[i - 1] == "-v" || args[i - 1] == "--value");
    text += masked ? "********" : args[i];
    if (i > 0 && (args[i - 1] == "-n" || args[i - 1] == "--name")) {
      secret_name = args[i].find("password") != std::string::npos;
    }
  }
  return text;
}

}  // namespace iscsim
