#include "target-impl/config/execute_detail.hpp"
#include "target-impl/config/show.hpp"

namespace iscsi::target::config {
namespace detail {

std::string_view message(AdmError error) {
  switch (error) {
    case AdmError::nomem: return "out of memory";
    case AdmError::no_driver: return "can't find the driver";
    case AdmError::no_target: return "can't find the target";
    case AdmError::no_lun: return "can't find the logical unit";
    case AdmError::target_exist: return "this target already exists";
    case AdmError::lun_exist: return "this logical unit number already exists";
    case AdmError::acl_exist: return "this access control rule already exists";
    case AdmError::acl_noexist: return "this access control rule does not exist";
    case AdmError::user_exist: return "this account already exists";
    case AdmError::no_user: return "can't find the account";
    case AdmError::too_many_user: return "too many accounts";
    case AdmError::invalid_request: return "invalid request";
    case AdmError::outaccount_exist: return "this target already has an outgoing account";
    case AdmError::target_active: return "this target is still active";
    case AdmError::unsupported_operation: return "this operation isn't supported";
    case AdmError::prevent_removal: return "this device has Prevent Removal set";
  }
  return "unknown error";
}

}  // namespace detail

namespace {

using detail::AdmError;

Execution execute_system(const Request& request, SystemConfig& config) {
  switch (request.op) {
    case Op::show:
      return detail::succeeded(show_system(config));
    case Op::delete_:
      // tgtd stops only once every target is gone (delete them with --force first).
      if (!config.targets.empty()) return detail::refused(AdmError::invalid_request);
      return detail::succeeded({}, {Effect{EffectKind::system_shutdown, 0, 0}});
    case Op::new_: case Op::bind: case Op::unbind: case Op::update: case Op::stat:
    case Op::start: case Op::stop:
      // iSNS settings and statistics are not modelled.
      return detail::refused(AdmError::invalid_request);
  }
  return detail::refused(AdmError::invalid_request);
}

Execution execute_portal(const Request& request, const ExecutionHost& host) {
  if (request.op == Op::show) return detail::succeeded(show_portals(host));
  // Portals are the server's command-line --portal options.
  return detail::refused(AdmError::unsupported_operation);
}

Execution execute_lld(const Request& request, const SystemConfig& config) {
  switch (request.op) {
    case Op::show: return detail::succeeded(show_lld(config));
    case Op::start: return detail::succeeded();  // the iscsi driver always runs
    case Op::stop: case Op::new_: case Op::delete_: case Op::bind: case Op::unbind:
    case Op::update: case Op::stat:
      return detail::refused(AdmError::unsupported_operation);
  }
  return detail::refused(AdmError::unsupported_operation);
}

}  // namespace

Execution execute(const Request& request, SystemConfig& config, ExecutionHost& host) {
  // tgtd resolves the driver first; "iscsi" (or none) is the only one here.
  if (!request.lld.empty() && request.lld != "iscsi") {
    return detail::refused(AdmError::no_driver);
  }
  switch (request.mode) {
    case Mode::system: return execute_system(request, config);
    case Mode::target: return detail::execute_target(request, config, host);
    case Mode::logicalunit: return detail::execute_lun(request, config, host);
    case Mode::account: return detail::execute_account(request, config);
    case Mode::portal: return execute_portal(request, host);
    case Mode::lld: return execute_lld(request, config);
    case Mode::session:
    case Mode::connection:
      return detail::refused(AdmError::invalid_request);
  }
  return detail::refused(AdmError::invalid_request);
}

Execution run_tgtadm(std::span<const std::string> args, SystemConfig& config,
                     ExecutionHost& host) {
  ParsedCommand parsed = parse_tgtadm(args);
  if (!parsed.request) return Execution{std::move(parsed.reply), {}};
  return execute(*parsed.request, config, host);
}

}  // namespace iscsi::target::config
