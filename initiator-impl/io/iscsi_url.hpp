#pragma once
// libiscsi's URL form, so a command line written for iscsi-ls or iscsi-inq works with
// `iscsim io`: iscsi://[<user>[%<password>]@]<host>[:<port>]/<target-iqn>/<lun>
// (libiscsi also reads the CHAP secret from LIBISCSI_CHAP_PASSWORD; the caller does that).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/result.hpp"

namespace iscsi::initiator::io {

struct IscsiUrl {
  std::optional<std::string> user;      // CHAP name
  std::optional<std::string> password;  // CHAP secret
  std::string host;                     // an IPv4 address (we resolve no names)
  std::uint16_t port = 3260;
  std::string target;                // the IQN; empty in "iscsi://host[:port]" (discovery)
  std::optional<std::uint64_t> lun;  // absent when the URL ends after the target
};

// libiscsi copies a URL into a 256-byte buffer and an iSCSI name is at most 223 bytes (RFC 7143
// §4.2.7.1): a longer URL is a mistake, and the bound keeps the error message short.
inline constexpr std::size_t kMaxUrlLength = 1024;

// Fails with io.bad-url and a sentence naming the part at fault and its position.
Result<IscsiUrl> parse_iscsi_url(std::string_view text);

}  // namespace iscsi::initiator::io
