#include "core/chap/exchange.hpp"

namespace iscsi::chap {

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::continue_exchange:
      return "continue";
    case Outcome::succeeded:
      return "succeeded";
    case Outcome::failed:
      return "failed";
  }
  return "unknown";
}

}  // namespace iscsi::chap
