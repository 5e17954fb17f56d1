#include "core/common/violation.hpp"

#include <fmt/format.h>

namespace iscsi {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::warning:
      return "warning";
    case Severity::recoverable:
      return "recoverable";
    case Severity::fatal:
      return "fatal";
  }
  return "unknown";
}

std::string Violation::to_string() const {
  return fmt::format("{} ({}): {}", kind.id, kind.rfc_section, detail);
}

}  // namespace iscsi
