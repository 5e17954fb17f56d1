// The XML well-formedness checker of the junit.xml tests (xml_check.hpp). It is written from
// XML 1.0 (fifth edition) directly and shares no code with reports/escape.cpp, so an escaping
// bug cannot hide behind the same bug in the checker.
#include "tests/reports/xml_check.hpp"

#include <cstddef>
#include <set>
#include <stdexcept>
#include <vector>

namespace iscsi::reports::test {
namespace {

struct XmlError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class XmlChecker {
 public:
  explicit XmlChecker(std::string_view doc) : doc_(doc) {}

  void check() {
    check_characters();
    if (doc_.substr(0, 5) == "<?xml") skip_past("?>");
    skip_space();
    element();
    skip_space();
    if (pos_ != doc_.size()) fail("content after the root element");
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw XmlError(what + " at byte " + std::to_string(pos_));
  }

  // XML 1.0 §2.2 Char, over well-formed UTF-8.
  void check_characters() {
    for (std::size_t i = 0; i < doc_.size();) {
      const auto b = static_cast<unsigned char>(doc_[i]);
      std::size_t n = b < 0x80           ? 1
                      : (b >> 5) == 0x6  ? 2
                      : (b >> 4) == 0xE  ? 3
                      : (b >> 3) == 0x1E ? 4
                                         : 0;
      if (n == 0 || i + n > doc_.size()) fail_at(i, "not UTF-8");
      unsigned long code = n == 1 ? b : (b & (0x7Fu >> n));
      for (std::size_t k = 1; k < n; ++k) {
        const auto c = static_cast<unsigned char>(doc_[i + k]);
        if ((c & 0xC0) != 0x80) fail_at(i, "not UTF-8");
        code = (code << 6) | (c & 0x3Fu);
      }
      const unsigned long min_code[] = {0, 0, 0x80, 0x800, 0x10000};
      if (code < min_code[n] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
        fail_at(i, "not UTF-8");
      }
      if ((code < 0x20 && code != 0x9 && code != 0xA && code != 0xD) || code == 0xFFFE ||
          code == 0xFFFF) {
        fail_at(i, "a character XML 1.0 forbids");
      }
      i += n;
    }
  }
  void fail_at(std::size_t at, const std::string& what) {
    pos_ = at;
    fail(what);
  }

  bool at_end() const { return pos_ >= doc_.size(); }
  char peek() const { return at_end() ? '\0' : doc_[pos_]; }
  bool starts(std::string_view s) const { return doc_.substr(pos_, s.size()) == s; }
  void skip_space() {
    while (!at_end() && (peek() == ' ' || peek() == '\n' || peek() == '\t' || peek() == '\r'))
      ++pos_;
  }
  void skip_past(std::string_view end) {
    const std::size_t found = doc_.find(end, pos_);
    if (found == doc_.npos) fail("unterminated construct");
    pos_ = found + end.size();
  }
  static bool name_char(char c, bool first) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    return first ? letter : letter || (c >= '0' && c <= '9') || c == '-' || c == '.';
  }
  std::string name() {
    const std::size_t start = pos_;
    if (!name_char(peek(), true)) fail("expected a name");
    while (!at_end() && name_char(peek(), false)) ++pos_;
    return std::string(doc_.substr(start, pos_ - start));
  }

  void reference() {
    const std::size_t end = doc_.find(';', pos_);
    if (end == doc_.npos) fail("unterminated reference");
    const std::string_view ref = doc_.substr(pos_ + 1, end - pos_ - 1);
    static const std::set<std::string_view> named = {"amp", "lt", "gt", "quot", "apos"};
    if (ref.size() > 1 && ref[0] == '#') {
      const bool hex = ref[1] == 'x';
      const std::string digits(ref.substr(hex ? 2 : 1));
      if (digits.empty() ||
          digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") != digits.npos) {
        fail("bad character reference");
      }
      const unsigned long code = std::stoul(digits, nullptr, hex ? 16 : 10);
      if ((code < 0x20 && code != 0x9 && code != 0xA && code != 0xD) || code == 0xFFFE ||
          code == 0xFFFF || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
        fail("character reference to a forbidden character");
      }
    } else if (named.count(ref) == 0) {
      fail("unknown entity");
    }
    pos_ = end + 1;
  }

  void attributes() {
    std::set<std::string> seen;
    for (;;) {
      skip_space();
      if (peek() == '>' || peek() == '/' || at_end()) return;
      if (!seen.insert(name()).second) fail("duplicate attribute");
      skip_space();
      if (peek() != '=') fail("expected =");
      ++pos_;
      skip_space();
      const char quote = peek();
      if (quote != '"' && quote != '\'') fail("unquoted attribute value");
      ++pos_;
      while (!at_end() && peek() != quote) {
        if (peek() == '<') fail("< in an attribute value");
        if (peek() == '&')
          reference();
        else
          ++pos_;
      }
      if (at_end()) fail("unterminated attribute value");
      ++pos_;
    }
  }

  void element() {
    if (peek() != '<') fail("expected an element");
    ++pos_;
    const std::string tag = name();
    attributes();
    if (starts("/>")) {
      pos_ += 2;
      return;
    }
    if (peek() != '>') fail("expected > after <" + tag);
    ++pos_;
    content();
    if (!starts("</")) fail("unclosed <" + tag + ">");
    pos_ += 2;
    if (name() != tag) fail("mismatched end tag of <" + tag + ">");
    skip_space();
    if (peek() != '>') fail("expected > in an end tag");
    ++pos_;
  }

  void content() {
    while (!at_end()) {
      if (starts("</")) return;
      if (starts("<!--")) {
        skip_past("-->");
      } else if (peek() == '<') {
        element();
      } else if (peek() == '&') {
        reference();
      } else if (starts("]]>")) {
        fail("]]> in character data");
      } else {
        ++pos_;
      }
    }
  }

  std::string_view doc_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string xml_problem(std::string_view document) {
  try {
    XmlChecker(document).check();
    return {};
  } catch (const std::exception& error) {  // XmlError, or std::stoul on a huge reference
    return error.what();
  }
}

}  // namespace iscsi::reports::test
