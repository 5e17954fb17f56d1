// libFuzzer harness for initiator-impl/io's iscsi:// URL parser. Input: the URL text.
// Invariants for any input: a refusal is io.bad-url with a sentence; an accepted URL has a
// dotted IPv4 host, a port from 1 to 65535, a LUN only with a target, and written out again
// (target re-escaped) within the length limit it parses to the same value.
#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "initiator-impl/io/iscsi_url.hpp"

namespace {

using iscsi::initiator::io::IscsiUrl;
using iscsi::initiator::io::parse_iscsi_url;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "iscsi_url harness invariant broken: %s\n", what);
    std::abort();
  }
}

// The target with the characters the parser would split on (or decode) escaped.
std::string escape(std::string_view target) {
  std::string text;
  for (char c : target) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '%' || c == '/' || c == '@' || byte < 0x21 || byte > 0x7e) {
      text += fmt::format("%{:02X}", byte);
    } else {
      text.push_back(c);
    }
  }
  return text;
}

std::string write_url(const IscsiUrl& url) {
  std::string text = "iscsi://";
  if (url.user) text += *url.user + (url.password ? "%" + *url.password : "") + "@";
  text += fmt::format("{}:{}", url.host, url.port);
  if (!url.target.empty()) text += "/" + escape(url.target);
  if (url.lun) text += fmt::format("/{}", *url.lun);
  return text;
}

bool same(const IscsiUrl& a, const IscsiUrl& b) {
  return a.user == b.user && a.password == b.password && a.host == b.host && a.port == b.port &&
         a.target == b.target && a.lun == b.lun;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_iscsi_url(text);
  if (!parsed.ok()) {
    check(parsed.error().id() == "io.bad-url", "refusal id");
    check(!parsed.error().detail.empty(), "refusal sentence");
    return 0;
  }
  const IscsiUrl& url = parsed.value();
  check(url.port != 0, "port from 1");
  check(!url.host.empty() && url.host.find_first_not_of("0123456789.") == std::string::npos,
        "dotted IPv4 host");
  check(!url.lun || !url.target.empty(), "LUN only after a target");
  check(!url.password || url.user, "password only with a user");
  // Escaping can make the written form longer than the limit; the value must still survive.
  const std::string written = write_url(url);
  if (written.size() > iscsi::initiator::io::kMaxUrlLength) return 0;
  auto again = parse_iscsi_url(written);
  check(again.ok() && same(again.value(), url), "written out and read back unchanged");
  return 0;
}
