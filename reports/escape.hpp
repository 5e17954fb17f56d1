#pragma once
// Escaping for the text outputs (internal to reports/). Step outputs and failure sentences can
// hold any bytes, while XML 1.0 (junit.xml) admits only well-formed UTF-8 without most control
// characters, and a console row must stay one line. These helpers turn any byte string into
// text each output can carry, without losing what a reader needs to see.
#include <cstddef>
#include <string>
#include <string_view>

namespace iscsi::reports {

// Where escaped text goes: element content, or an attribute value quoted with ".
enum class MarkupContext { text, attribute };

// Appends `text` as XML 1.0 / HTML character data: & < > " ' become entity references; bytes
// that are not well-formed UTF-8 become U+FFFD; characters XML 1.0 forbids even as references
// (C0 controls other than tab, LF and CR; U+FFFE; U+FFFF) become the visible text "\xNN".
// In attributes tab, LF and CR become character references, so parsers keep them.
void append_escaped(std::string& out, std::string_view text, MarkupContext context);
std::string escape_markup(std::string_view text, MarkupContext context = MarkupContext::text);

// One console line: control characters (LF included) become "\xNN", bytes that are not UTF-8
// become U+FFFD.
std::string one_line(std::string_view text);

// The number of UTF-8 code points of `text` (its width in a console column, for the scripts
// the reports carry); a stray byte counts as one.
std::size_t display_width(std::string_view text);

// One decoded character: the code point and how many bytes it took. An ill-formed sequence
// gives valid = false and length 1, so a caller resynchronizes on the next byte.
struct Utf8Char {
  char32_t code = 0;
  std::size_t length = 1;
  bool valid = false;
};
Utf8Char decode_utf8(std::string_view text, std::size_t at);

}  // namespace iscsi::reports
