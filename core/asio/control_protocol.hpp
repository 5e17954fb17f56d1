#pragma once
// The framed request/response protocol of the target's local control channel (the channel
// `iscsim tgtadm` uses to reach a running `iscsim target`, as tgtadm reaches tgtd). Pure
// encoding and decoding, no I/O, so it is tested on its own.
//
// Every message is an 8-byte header, then a body of the length it announces:
//   magic (4 bytes: "ICQ1" for a request, "ICR1" for a reply), body length (u32, big-endian).
// Request body: argc (u32), then per argument its length (u32) and its bytes.
// Reply body:   exit code (u32, two's complement), stdout length (u32) and bytes, stderr length
//               (u32) and bytes.
// Every size is bounded below, and checked before anything is allocated.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/common/result.hpp"

namespace iscsi::asio {

inline constexpr std::size_t kControlHeaderLength = 8;
inline constexpr std::array<std::uint8_t, 4> kControlRequestMagic{'I', 'C', 'Q', '1'};
inline constexpr std::array<std::uint8_t, 4> kControlReplyMagic{'I', 'C', 'R', '1'};
// tgtadm command lines are short; these bounds are generous and keep a stray client harmless.
inline constexpr std::size_t kMaxControlArgs = 256;
inline constexpr std::size_t kMaxControlArgLength = 64 * 1024;
inline constexpr std::size_t kMaxControlRequestBody = 1024 * 1024;
// `--op show` of a large configuration is the longest reply.
inline constexpr std::size_t kMaxControlReplyBody = 16 * 1024 * 1024;

inline constexpr ViolationKind kControlBadMagic{"control.bad-magic", "iscsim control channel",
                                                Severity::fatal};
inline constexpr ViolationKind kControlTooLarge{"control.too-large", "iscsim control channel",
                                                Severity::fatal};
inline constexpr ViolationKind kControlMalformed{"control.malformed", "iscsim control channel",
                                                 Severity::fatal};

struct ControlRequest {
  std::vector<std::string> args;  // tgtadm's arguments, without the program name
  bool operator==(const ControlRequest&) const = default;
};

struct ControlReply {
  int exit_code = 0;
  std::string out;  // what tgtadm would print on stdout
  std::string err;  // what tgtadm would print on stderr ("tgtadm: ...\n")
  bool operator==(const ControlReply&) const = default;
};

// Whole messages, header included. Fails with control.too-large past the bounds above.
Result<Bytes> encode_control_request(const ControlRequest& request);
Result<Bytes> encode_control_reply(const ControlReply& reply);

// The body length a header announces, after checking the magic and the bound for its kind.
Result<std::size_t> control_request_body_length(ByteView header);
Result<std::size_t> control_reply_body_length(ByteView header);

// A body exactly as long as its header announced.
Result<ControlRequest> decode_control_request_body(ByteView body);
Result<ControlReply> decode_control_reply_body(ByteView body);

}  // namespace iscsi::asio
