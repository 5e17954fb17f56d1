#include "core/runtime/stream.hpp"

#include <fmt/format.h>

namespace iscsi::runtime {

std::string Endpoint::to_string() const {
  return fmt::format("{}.{}.{}.{}:{}", (ipv4 >> 24) & 0xff, (ipv4 >> 16) & 0xff,
                     (ipv4 >> 8) & 0xff, ipv4 & 0xff, port);
}

std::string_view to_string(CloseReason reason) {
  switch (reason) {
    case CloseReason::peer_fin:
      return "peer closed";
    case CloseReason::peer_reset:
      return "connection reset by peer";
    case CloseReason::local_abort:
      return "aborted locally";
    case CloseReason::timed_out:
      return "connection timed out";
    case CloseReason::refused:
      return "connection refused";
  }
  return "unknown";
}

}  // namespace iscsi::runtime
