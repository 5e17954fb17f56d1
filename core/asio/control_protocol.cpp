#include "core/asio/control_protocol.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace iscsi::asio {
namespace {

void put_u32(Bytes& out, std::uint32_t value) {
  const std::size_t at = out.size();
  out.resize(at + 4);
  store_be32(out.data() + at, value);
}

void put_string(Bytes& out, const std::string& text) {
  put_u32(out, static_cast<std::uint32_t>(text.size()));
  out.insert(out.end(), text.begin(), text.end());
}

Bytes with_header(const std::array<std::uint8_t, 4>& magic, const Bytes& body) {
  Bytes out(magic.begin(), magic.end());
  put_u32(out, static_cast<std::uint32_t>(body.size()));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

Result<std::size_t> body_length(ByteView header, const std::array<std::uint8_t, 4>& magic,
                                std::size_t limit, const char* what) {
  if (header.size() < kControlHeaderLength) {
    return Violation{kControlMalformed,
                     fmt::format("{} header is {} bytes, expected {}", what, header.size(),
                                 kControlHeaderLength)};
  }
  if (!std::equal(magic.begin(), magic.end(), header.begin())) {
    return Violation{kControlBadMagic,
                     fmt::format("{} starts with 0x{}, expected \"{}\"", what,
                                 to_hex(header.first(4)),
                                 std::string(magic.begin(), magic.end()))};
  }
  const std::size_t length = load_be32(header.data() + 4);
  if (length > limit) {
    return Violation{kControlTooLarge,
                     fmt::format("{} body of {} bytes exceeds the limit of {}", what, length,
                                 limit)};
  }
  return length;
}

// Reads length-prefixed fields from a body, never past its end.
class BodyReader {
 public:
  explicit BodyReader(ByteView body) : body_(body) {}

  bool u32(std::uint32_t& value) {
    if (body_.size() - at_ < 4) return false;
    value = load_be32(body_.data() + at_);
    at_ += 4;
    return true;
  }
  bool string(std::string& text, std::size_t limit) {
    std::uint32_t length = 0;
    if (!u32(length) || length > limit || body_.size() - at_ < length) return false;
    text.assign(reinterpret_cast<const char*>(body_.data() + at_), length);
    at_ += length;
    return true;
  }
  bool at_end() const { return at_ == body_.size(); }

 private:
  ByteView body_;
  std::size_t at_ = 0;
};

Violation malformed(const char* what) {
  return Violation{kControlMalformed, fmt::format("{} body does not parse", what)};
}

}  // namespace

Result<Bytes> encode_control_request(const ControlRequest& request) {
  if (request.args.size() > kMaxControlArgs) {
    return Violation{kControlTooLarge, fmt::format("{} arguments exceed the limit of {}",
                                                   request.args.size(), kMaxControlArgs)};
  }
  Bytes body;
  put_u32(body, static_cast<std::uint32_t>(request.args.size()));
  for (const std::string& arg : request.args) {
    if (arg.size() > kMaxControlArgLength) {
      return Violation{kControlTooLarge, fmt::format("an argument of {} bytes exceeds the limit "
                                                     "of {}", arg.size(), kMaxControlArgLength)};
    }
    put_string(body, arg);
  }
  if (body.size() > kMaxControlRequestBody) {
    return Violation{kControlTooLarge, fmt::format("a request of {} bytes exceeds the limit of {}",
                                                   body.size(), kMaxControlRequestBody)};
  }
  return with_header(kControlRequestMagic, body);
}

Result<Bytes> encode_control_reply(const ControlReply& reply) {
  if (reply.out.size() + reply.err.size() + 12 > kMaxControlReplyBody) {
    return Violation{kControlTooLarge,
                     fmt::format("a reply of {} bytes exceeds the limit of {}",
                                 reply.out.size() + reply.err.size(), kMaxControlReplyBody)};
  }
  Bytes body;
  put_u32(body, static_cast<std::uint32_t>(reply.exit_code));
  put_string(body, reply.out);
  put_string(body, reply.err);
  return with_header(kControlReplyMagic, body);
}

Result<std::size_t> control_request_body_length(ByteView header) {
  return body_length(header, kControlRequestMagic, kMaxControlRequestBody, "control request");
}

Result<std::size_t> control_reply_body_length(ByteView header) {
  return body_length(header, kControlReplyMagic, kMaxControlReplyBody, "control reply");
}

Result<ControlRequest> decode_control_request_body(ByteView body) {
  BodyReader reader(body);
  std::uint32_t argc = 0;
  if (!reader.u32(argc)) return malformed("control request");
  if (argc > kMaxControlArgs) {
    return Violation{kControlTooLarge,
                     fmt::format("{} arguments exceed the limit of {}", argc, kMaxControlArgs)};
  }
  ControlRequest request;
  request.args.resize(argc);
  for (std::string& arg : request.args) {
    if (!reader.string(arg, kMaxControlArgLength)) return malformed("control request");
  }
  if (!reader.at_end()) return malformed("control request");
  return request;
}

Result<ControlReply> decode_control_reply_body(ByteView body) {
  BodyReader reader(body);
  std::uint32_t code = 0;
  ControlReply reply;
  if (!reader.u32(code) || !reader.string(reply.out, kMaxControlReplyBody) ||
      !reader.string(reply.err, kMaxControlReplyBody) || !reader.at_end()) {
    return malformed("control reply");
  }
  reply.exit_code = static_cast<int>(code);
  return reply;
}

}  // namespace iscsi::asio
