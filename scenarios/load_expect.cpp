// expect:, expect_rfc:, expect_tgt: of a step.
#include <fmt/format.h>

#include "scenarios/load_parts.hpp"
#include "scenarios/loader.hpp"
#include "scenarios/units.hpp"
#include "scenarios/yaml_reader.hpp"

namespace iscsi::scenarios::detail {
namespace {

// Violation ids are dotted lower-case words (core/common/violation.hpp).
std::string violation_id(const YAML::Node& node, std::string_view what) {
  std::string id = text(node, what);
  bool ok = !id.empty() && id.size() <= 128 && id.find('.') != std::string::npos &&
            id.front() != '.' && id.back() != '.';
  for (char c : id)
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-');
  if (!ok) {
    fail(node, fmt::format("expected a violation id such as 'login.auth-failed' for {}, got '{}'",
                           what, id.substr(0, 60)));
  }
  return id;
}

std::vector<std::string> violation_ids(const YAML::Node& node, std::string_view what) {
  std::vector<std::string> ids;
  if (node.IsScalar()) return {violation_id(node, what)};
  expect_list(node, what);
  for (const YAML::Node& item : node) ids.push_back(violation_id(item, what));
  return ids;
}

void load_violations(const YAML::Node& node, Expect& expect, std::string_view what) {
  std::string violations_what = fmt::format("'violations' of {}", what);
  if (node.IsScalar()) {
    (void)choice(node, violations_what, {"none"});
    expect.no_violations = true;
    return;
  }
  check_keys(node, violations_what, {"required", "forbidden"});
  if (node["required"]) {
    expect.violations_required =
        violation_ids(node["required"], fmt::format("'required' of {}", violations_what));
  }
  if (node["forbidden"]) {
    expect.violations_forbidden =
        violation_ids(node["forbidden"], fmt::format("'forbidden' of {}", violations_what));
  }
}

std::uint16_t login_status(const YAML::Node& node, std::string_view what) {
  std::string value = text(node, what);
  bool ok = value.size() == 6 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X');
  auto parsed = ok ? parse_unsigned(value, 0xffff) : std::nullopt;
  if (!parsed) {
    fail(node,
         fmt::format("expected a login status class and detail such as 0x0201 for {}, got '{}'",
                     what, value.substr(0, 60)));
  }
  return static_cast<std::uint16_t>(*parsed);
}

void load_command_expect(const YAML::Node& node, Expect& expect, std::string_view what) {
  auto named = [&](const char* key) { return fmt::format("'{}' of {}", key, what); };
  if (node["exit"]) expect.exit_code = static_cast<int>(number(node["exit"], named("exit"), 255));
  if (node["stdout"]) expect.stdout_exact = text(node["stdout"], named("stdout"));
  if (node["stdout_contains"])
    expect.stdout_contains = text_list(node["stdout_contains"], named("stdout_contains"));
  if (node["stderr"]) expect.stderr_exact = text(node["stderr"], named("stderr"));
  if (node["stderr_contains"])
    expect.stderr_contains = text_list(node["stderr_contains"], named("stderr_contains"));
  if (node["discovered"]) {
    const YAML::Node& discovered = node["discovered"];
    if (discovered.IsSequence()) {
      expect_list(discovered, named("discovered"));
      std::vector<std::string> names;
      for (const YAML::Node& item : discovered) names.push_back(text(item, named("discovered")));
      expect.discovered = std::move(names);
    } else {
      expect.discovered = text_list(discovered, named("discovered"));
    }
  }
}

// A raw_pdu step's expectations: the Reject reason and the lines describing what came back.
void load_pdu_expect(const YAML::Node& node, Expect& expect, std::string_view what) {
  auto named = [&](const char* key) { return fmt::format("'{}' of {}", key, what); };
  if (node["reject"]) {
    expect.reject_reason = static_cast<std::uint8_t>(number(node["reject"], named("reject"), 0xff));
  }
  if (node["stdout"]) expect.stdout_exact = text(node["stdout"], named("stdout"));
  if (node["stdout_contains"])
    expect.stdout_contains = text_list(node["stdout_contains"], named("stdout_contains"));
}

}  // namespace

Expect load_expect(const YAML::Node& node, ExpectScope scope, std::string_view what) {
  switch (scope) {
    case ExpectScope::command:
      check_keys(node, what,
                 {"exit", "stdout", "stdout_contains", "stderr", "stderr_contains", "login_status",
                  "discovered", "violations", "session"});
      break;
    case ExpectScope::io:
      check_keys(node, what,
                 {"data_verified", "io_error", "login_status", "violations", "session"});
      break;
    case ExpectScope::pdu:
      check_keys(node, what,
                 {"reject", "stdout", "stdout_contains", "login_status", "violations", "session"});
      break;
    case ExpectScope::other:
      check_keys(node, what, {"login_status", "violations", "session"});
      break;
  }
  Expect expect;
  expect.at = position_of(node);
  if (scope == ExpectScope::command) load_command_expect(node, expect, what);
  if (scope == ExpectScope::pdu) load_pdu_expect(node, expect, what);
  if (node["data_verified"]) {
    expect.data_verified =
        boolean(node["data_verified"], fmt::format("'data_verified' of {}", what));
  }
  // Every step can see a Login Response: a session reinstated during an io step or a wait.
  if (node["login_status"]) {
    expect.login_status =
        login_status(node["login_status"], fmt::format("'login_status' of {}", what));
  }
  if (node["io_error"]) {
    expect.io_error = text(node["io_error"], fmt::format("'io_error' of {}", what));
  }
  if (node["violations"]) load_violations(node["violations"], expect, what);
  if (node["session"]) {
    expect.session =
        choice(node["session"], fmt::format("'session' of {}", what), {"logged_in", "absent"}) == 0
            ? SessionExpect::logged_in
            : SessionExpect::absent;
  }
  return expect;
}

}  // namespace iscsi::scenarios::detail
