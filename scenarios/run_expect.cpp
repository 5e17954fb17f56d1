#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "scenarios/run_step.hpp"

namespace iscsi::scenarios {
namespace {

// A string as failure sentences quote it: newlines shown as \n, so a sentence stays one line.
std::string one_line_quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

std::string without_final_newline(std::string text) {
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

std::string names(std::vector<std::string> list) {
  std::sort(list.begin(), list.end());
  return fmt::format("[{}]", fmt::join(list, ", "));
}

bool seen(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

void check_text(std::vector<std::string>& failures, std::string_view stream,
                const std::optional<std::string>& exact, const std::vector<std::string>& parts,
                const std::string& actual) {
  const std::string text = without_final_newline(actual);
  if (exact && *exact != text) {
    failures.push_back(fmt::format("expected {} {}, got {}", stream, one_line_quoted(*exact),
                                   one_line_quoted(text)));
  }
  for (const std::string& part : parts) {
    if (text.find(part) == std::string::npos) {
      failures.push_back(fmt::format("expected {} to contain {}, got {}", stream,
                                     one_line_quoted(part), one_line_quoted(text)));
    }
  }
}

void check_violations(std::vector<std::string>& failures, const Expect& expect,
                      const std::vector<std::string>& ids) {
  if (expect.no_violations && !ids.empty()) {
    failures.push_back(fmt::format("expected no violations, got {}", names(ids)));
  }
  for (const std::string& id : expect.violations_required) {
    if (!seen(ids, id)) failures.push_back(fmt::format("expected violation {}, not seen", id));
  }
  for (const std::string& id : expect.violations_forbidden) {
    if (seen(ids, id)) failures.push_back(fmt::format("violation {} seen, which is forbidden", id));
  }
}

// A failed transfer fails the step, unless the expectation says which failure must happen.
void check_io_failures(std::vector<std::string>& failures, const Expect& expect,
                       const std::vector<std::string>& io_failures) {
  if (!expect.io_error) {
    failures.insert(failures.end(), io_failures.begin(), io_failures.end());
    return;
  }
  const bool seen_it = std::any_of(io_failures.begin(), io_failures.end(), [&](const auto& text) {
    return text.find(*expect.io_error) != std::string::npos;
  });
  if (!seen_it) {
    failures.push_back(fmt::format("expected a transfer to fail with {}, got {}",
                                   one_line_quoted(*expect.io_error),
                                   io_failures.empty() ? std::string("no failure")
                                                       : one_line_quoted(io_failures.front())));
  }
}

}  // namespace

std::vector<std::string> check_expectation(const Expect& expect, const StepRun& run) {
  std::vector<std::string> failures;
  const StepOutput& out = run.output;
  if (expect.exit_code && *expect.exit_code != out.exit_code) {
    failures.push_back(fmt::format("expected exit {}, got {}", *expect.exit_code, out.exit_code));
  }
  check_text(failures, "stdout", expect.stdout_exact, expect.stdout_contains, out.out);
  check_text(failures, "stderr", expect.stderr_exact, expect.stderr_contains, out.err);
  if (expect.login_status && expect.login_status != out.login_status) {
    failures.push_back(fmt::format(
        "expected login_status 0x{:04x}, got {}", *expect.login_status,
        out.login_status ? fmt::format("0x{:04x}", *out.login_status) : "no Login Response"));
  }
  if (expect.discovered) {
    const std::vector<std::string> found = run.discovered.value_or(std::vector<std::string>{});
    if (names(*expect.discovered) != names(found)) {
      failures.push_back(
          fmt::format("expected discovered {}, got {}", names(*expect.discovered), names(found)));
    }
  }
  if (expect.data_verified && expect.data_verified != run.data_verified) {
    failures.push_back(fmt::format(
        "expected data_verified {}, got {}", *expect.data_verified,
        run.data_verified ? fmt::format("{}", *run.data_verified) : std::string("no verify")));
  }
  if (expect.reject_reason && expect.reject_reason != run.reject_reason) {
    failures.push_back(fmt::format(
        "expected a Reject with reason 0x{:02x}, got {}", *expect.reject_reason,
        run.reject_reason ? fmt::format("reason 0x{:02x}", *run.reject_reason)
                          : std::string("no Reject")));
  }
  check_io_failures(failures, expect, run.io_failures);
  check_violations(failures, expect, out.violations);
  if (expect.session) {
    const bool want = *expect.session == SessionExpect::logged_in;
    if (want != out.session_logged_in) {
      failures.push_back(fmt::format("expected session {}, got {}", want ? "logged_in" : "absent",
                                     out.session_logged_in ? "logged_in" : "absent"));
    }
  }
  return failures;
}

}  // namespace iscsi::scenarios
