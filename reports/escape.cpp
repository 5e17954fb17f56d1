// Markup and console escaping (reports/escape.hpp).
#include "reports/escape.hpp"

#include <fmt/format.h>

namespace iscsi::reports {
namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0u) == 0x80u; }

// The allowed range of the second byte of a multi-byte sequence (Unicode 15, table 3-7): it
// excludes overlong forms, surrogates and code points past U+10FFFF.
bool second_byte_ok(unsigned char lead, unsigned char second) {
  if (lead == 0xE0u) return second >= 0xA0u && second <= 0xBFu;
  if (lead == 0xEDu) return second >= 0x80u && second <= 0x9Fu;
  if (lead == 0xF0u) return second >= 0x90u && second <= 0xBFu;
  if (lead == 0xF4u) return second >= 0x80u && second <= 0x8Fu;
  return is_continuation(second);
}

std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80u) return 1;
  if (lead >= 0xC2u && lead <= 0xDFu) return 2;
  if (lead >= 0xE0u && lead <= 0xEFu) return 3;
  if (lead >= 0xF0u && lead <= 0xF4u) return 4;
  return 0;
}

// XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
// Surrogates never decode, so only the controls and U+FFFE/U+FFFF remain to refuse.
bool xml_char_allowed(char32_t code) {
  if (code < 0x20) return code == 0x9 || code == 0xA || code == 0xD;
  return code != 0xFFFE && code != 0xFFFF;
}

void append_hex_escape(std::string& out, std::string_view bytes) {
  for (char c : bytes) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

// The reference of one ASCII character, or empty when it stands for itself.
std::string_view markup_reference(char c, MarkupContext context) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '\'':
      return "&#39;";
    case '\t':
      return context == MarkupContext::attribute ? "&#9;" : "\t";
    case '\n':
      return context == MarkupContext::attribute ? "&#10;" : "\n";
    // A parser turns a raw CR (and CR LF) into LF (XML 1.0 §2.11); the reference keeps it.
    case '\r':
      return "&#13;";
    default:
      return {};
  }
}

}  // namespace

Utf8Char decode_utf8(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  const std::size_t length = sequence_length(lead);
  if (length == 1) return {lead, 1, true};
  if (length == 0 || at + length > text.size()) return {};
  if (!second_byte_ok(lead, static_cast<unsigned char>(text[at + 1]))) return {};
  char32_t code = lead & (0xFFu >> (length + 1));
  for (std::size_t i = 1; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(text[at + i]);
    if (!is_continuation(byte)) return {};
    code = (code << 6) | (byte & 0x3Fu);
  }
  return {code, length, true};
}

void append_escaped(std::string& out, std::string_view text, MarkupContext context) {
  std::size_t at = 0;
  while (at < text.size()) {
    const Utf8Char ch = decode_utf8(text, at);
    const std::string_view bytes = text.substr(at, ch.length);
    at += ch.length;
    if (!ch.valid) {
      out += kReplacement;
    } else if (!xml_char_allowed(ch.code)) {
      append_hex_escape(out, bytes);
    } else if (std::string_view reference = markup_reference(bytes[0], context);
               ch.length == 1 && !reference.empty()) {
      out += reference;
    } else {
      out += bytes;
    }
  }
}

std::string escape_markup(std::string_view text, MarkupContext context) {
  std::string out;
  out.reserve(text.size());
  append_escaped(out, text, context);
  return out;
}

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    const Utf8Char ch = decode_utf8(text, at);
    const std::string_view bytes = text.substr(at, ch.length);
    at += ch.length;
    if (!ch.valid) {
      out += kReplacement;
    } else if (ch.code < 0x20 || ch.code == 0x7F) {
      append_hex_escape(out, bytes);
    } else {
      out += bytes;
    }
  }
  return out;
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t at = 0; at < text.size(); ++width) at += decode_utf8(text, at).length;
  return width;
}

}  // namespace iscsi::reports
