#pragma once
// What one iscsiadm step prints and the exit code it leaves: stdout lines without a prefix,
// stderr lines with "iscsiadm: " (open-iscsi's log_error() in iscsiadm).
#include <string>
#include <string_view>

namespace iscsi::initiator::iscsiadm {

struct Report {
  std::string out;
  std::string err;
  int exit_code = 0;

  void say(std::string_view line) {
    out += line;
    out += '\n';
  }
  void error(std::string_view line) {
    err += "iscsiadm: ";
    err += line;
    err += '\n';
  }
  // Appends a later step; the first failure's code stays, as iscsiadm keeps its first error.
  void append(const Report& next) {
    out += next.out;
    err += next.err;
    if (exit_code == 0) exit_code = next.exit_code;
  }
};

}  // namespace iscsi::initiator::iscsiadm
