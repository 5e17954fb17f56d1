#include "initiator-impl/io/iscsi_url.hpp"

#include <fmt/format.h>

#include "core/pdu/lun.hpp"
#include "initiator-impl/io/io_violations.hpp"

namespace iscsi::initiator::io {
namespace {

constexpr std::string_view kScheme = "iscsi://";
constexpr std::string_view kForm =
    "iscsi://[<user>[%<password>]@]<host>[:<port>]/<target-iqn>/<lun>";

// A part of the URL and where it starts (0-based in the whole text).
struct Part {
  std::string_view text;
  std::size_t at = 0;
};

Violation bad(std::size_t at, const std::string& what) {
  return Violation{
      violations::kBadUrl,
      fmt::format("bad iSCSI URL at character {}: {} (the form is {})", at + 1, what, kForm)};
}

Part sub(Part part, std::size_t from, std::size_t count = std::string_view::npos) {
  return Part{part.text.substr(from, count), part.at + from};
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::optional<unsigned> hex_value(char c) {
  if (is_digit(c)) return static_cast<unsigned>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
  return std::nullopt;
}

// A run of decimal digits no larger than `max`; nullopt when empty, not digits or too large.
std::optional<std::uint32_t> decimal(std::string_view text, std::uint32_t max) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (!is_digit(c)) return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > max) return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

// libiscsi splits the user part at the first '%', or at the first ':' when there is no '%';
// the password is the rest, so it may itself contain '%' or ':'. Neither is percent-decoded.
Result<IscsiUrl> parse_user(Part user, IscsiUrl url) {
  std::size_t split = user.text.find('%');
  if (split == std::string_view::npos) split = user.text.find(':');
  const Part name = sub(user, 0, split);
  if (name.text.empty()) return bad(name.at, "the user name before '@' is empty");
  url.user = std::string(name.text);
  if (split != std::string_view::npos) {
    const Part secret = sub(user, split + 1);
    if (secret.text.empty()) return bad(secret.at, "the password after '%' is empty");
    url.password = std::string(secret.text);
  }
  return url;
}

// Dotted-quad IPv4 only: no names (we resolve none) and no IPv6.
Result<IscsiUrl> parse_host(Part host, IscsiUrl url) {
  if (host.text.empty()) return bad(host.at, "the host is missing");
  std::size_t start = 0;
  for (int octet = 0; octet < 4; ++octet) {
    std::size_t end = host.text.find('.', start);
    if (octet == 3) end = host.text.size();
    const std::string_view digits =
        end == std::string_view::npos ? std::string_view{} : host.text.substr(start, end - start);
    // A leading zero would read as octal to inet_aton: refuse it rather than guess.
    if (digits.size() > 3 || (digits.size() > 1 && digits.front() == '0') ||
        !decimal(digits, 255)) {
      return bad(host.at, fmt::format("host \"{}\" is not an IPv4 address (a.b.c.d); names and "
                                      "IPv6 are not supported",
                                      host.text));
    }
    start = end + 1;
  }
  url.host = std::string(host.text);
  return url;
}

Result<IscsiUrl> parse_host_port(Part portal, IscsiUrl url) {
  if (!portal.text.empty() && portal.text.front() == '[') {
    return bad(portal.at, "IPv6 addresses are not supported: the host must be an IPv4 address");
  }
  const std::size_t colon = portal.text.find(':');
  if (colon != std::string_view::npos &&
      portal.text.find(':', colon + 1) != std::string_view::npos) {
    return bad(portal.at, "IPv6 addresses are not supported: the host must be an IPv4 address");
  }
  auto parsed = parse_host(sub(portal, 0, colon), std::move(url));
  if (!parsed.ok() || colon == std::string_view::npos) return parsed;
  const Part port = sub(portal, colon + 1);
  const auto number = decimal(port.text, 65535);
  if (!number || *number == 0) {
    return bad(port.at, fmt::format("port \"{}\" is not a number from 1 to 65535", port.text));
  }
  parsed->port = static_cast<std::uint16_t>(*number);
  return parsed;
}

// The target name with %XX escapes decoded, as libiscsi does for the target alone.
Result<IscsiUrl> parse_target(Part target, IscsiUrl url) {
  if (target.text.empty()) return bad(target.at, "the target name is empty");
  std::string name;
  for (std::size_t i = 0; i < target.text.size(); ++i) {
    if (target.text[i] != '%') {
      name.push_back(target.text[i]);
      continue;
    }
    const auto high = i + 1 < target.text.size() ? hex_value(target.text[i + 1]) : std::nullopt;
    const auto low = i + 2 < target.text.size() ? hex_value(target.text[i + 2]) : std::nullopt;
    if (!high || !low)
      return bad(target.at + i, "'%' in the target name is not followed by two hex digits");
    name.push_back(static_cast<char>((*high << 4) | *low));
    i += 2;
  }
  url.target = std::move(name);
  return url;
}

Result<IscsiUrl> parse_lun(Part lun, IscsiUrl url) {
  if (lun.text.empty()) return bad(lun.at, "the LUN after the target name is empty");
  const auto number = decimal(lun.text, pdu::Lun::kMaxFlatNumber);
  if (!number) {
    return bad(lun.at, fmt::format("LUN \"{}\" is not a number from 0 to {}", lun.text,
                                   pdu::Lun::kMaxFlatNumber));
  }
  url.lun = *number;
  return url;
}

// "/<target>/<lun>", "/<target>", "/" or nothing (a portal URL, for discovery).
Result<IscsiUrl> parse_path(Part path, IscsiUrl url) {
  if (path.text.size() <= 1) return url;
  const Part rest = sub(path, 1);
  const std::size_t slash = rest.text.find('/');
  auto parsed = parse_target(sub(rest, 0, slash), std::move(url));
  if (!parsed.ok() || slash == std::string_view::npos) return parsed;
  return parse_lun(sub(rest, slash + 1), std::move(parsed).value());
}

}  // namespace

Result<IscsiUrl> parse_iscsi_url(std::string_view text) {
  if (text.size() > kMaxUrlLength) {
    return bad(kMaxUrlLength, fmt::format("the URL is longer than {} characters", kMaxUrlLength));
  }
  if (text.substr(0, kScheme.size()) != kScheme) {
    return bad(0, "the URL must start with \"iscsi://\"");
  }
  Part rest = Part{text, 0};
  rest = sub(rest, kScheme.size());
  IscsiUrl url;
  // libiscsi takes the first '@' anywhere as the end of the user part (iSCSI names hold no '@').
  const std::size_t at = rest.text.find('@');
  if (at != std::string_view::npos) {
    auto with_user = parse_user(sub(rest, 0, at), std::move(url));
    if (!with_user.ok()) return with_user;
    url = std::move(with_user).value();
    rest = sub(rest, at + 1);
  }
  const std::size_t slash = rest.text.find('/');
  auto with_portal = parse_host_port(sub(rest, 0, slash), std::move(url));
  if (!with_portal.ok() || slash == std::string_view::npos) return with_portal;
  return parse_path(sub(rest, slash), std::move(with_portal).value());
}

}  // namespace iscsi::initiator::io
