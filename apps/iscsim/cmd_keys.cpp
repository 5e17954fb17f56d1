// `iscsim keys`: prints the RFC 7143 text key table the negotiator uses, for students and for
// anyone reading a login trace ("what is the default of MaxBurstLength, and who may send it?").
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>

#include "apps/iscsim/commands.hpp"
#include "core/negotiation/key_table.hpp"

namespace iscsim {
namespace {

namespace neg = iscsi::negotiation;

std::string range_text(const neg::KeyRow& row) {
  if (row.type == neg::ValueType::numeric) return fmt::format("{}-{}", row.min_value, row.max_value);
  if (row.vocabulary.empty()) return "";
  return fmt::format("{}", fmt::join(row.vocabulary, ","));
}

void print_row(const neg::KeyRow& row) {
  std::printf("%-26s %-17s %-10s %-9s %-15s %-12s %-10s %s%s\n", std::string(row.name).c_str(),
              std::string(row.rfc_section).c_str(), std::string(neg::to_string(row.use)).c_str(),
              std::string(neg::to_string(row.senders)).c_str(),
              std::string(neg::to_string(row.function)).c_str(),
              row.default_value.empty() ? "-" : std::string(row.default_value).c_str(),
              row.scope == neg::Scope::session_wide ? "session" : "connection",
              range_text(row).c_str(), row.irrelevant_in_discovery ? "  [Irrelevant in Discovery]" : "");
}

void print_detail(const neg::KeyRow& row) {
  std::printf("%s (%s)\n", std::string(row.name).c_str(), std::string(row.rfc_section).c_str());
  std::printf("  value type:      %s\n", std::string(neg::to_string(row.type)).c_str());
  std::printf("  result function: %s\n", std::string(neg::to_string(row.function)).c_str());
  std::printf("  use:             %s\n", std::string(neg::to_string(row.use)).c_str());
  std::printf("  senders:         %s\n", std::string(neg::to_string(row.senders)).c_str());
  std::printf("  scope:           %s\n",
              row.scope == neg::Scope::session_wide ? "session-wide" : "connection-only");
  std::printf("  default:         %s\n",
              row.default_value.empty() ? "(none)" : std::string(row.default_value).c_str());
  std::printf("  values:          %s\n", range_text(row).empty() ? "(any)" : range_text(row).c_str());
  std::printf("  in Discovery:    %s\n",
              row.irrelevant_in_discovery ? "Irrelevant" : "negotiated as in Normal sessions");
}

int run_keys(const std::string& name) {
  if (!name.empty()) {
    const neg::KeyRow* row = neg::find_key(name);
    if (row == nullptr) {
      std::fprintf(stderr,
                   "iscsim keys: '%s' is not an RFC 7143 key (names are case-sensitive; private "
                   "X-... keys are answered NotUnderstood)\n",
                   name.c_str());
      return 2;
    }
    print_detail(*row);
    return 0;
  }
  std::printf("%-26s %-17s %-10s %-9s %-15s %-12s %-10s %s\n", "KEY", "SECTION", "USE", "SENDERS",
              "RESULT", "DEFAULT", "SCOPE", "VALUES");
  for (const neg::KeyRow& row : neg::key_table()) print_row(row);
  return 0;
}

}  // namespace

void register_keys_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "keys",
      "Print the RFC 7143 text keys: section, use (LO = leading login only, IO = login only, "
      "FFPO = full feature phase only, ALL), who may send them, result function, default and "
      "allowed values");
  auto name = std::make_shared<std::string>();
  cmd->add_option("key", *name, "Show one key in detail (e.g. MaxBurstLength)");
  cmd->callback([name] { set_exit_code(run_keys(*name)); });
}

}  // namespace iscsim
