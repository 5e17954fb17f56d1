// Violation::to_string is what reports print: "<id> (<rfc section>): <detail>".
#include <gtest/gtest.h>

#include "core/common/violation.hpp"

namespace iscsi {
namespace {

TEST(Violation, ToStringFormat) {
  constexpr ViolationKind kind{"pdu.header-digest-mismatch", "RFC 7143 §13.1", Severity::fatal};
  const Violation v{kind, "header digest 0x12345678 != computed 0x9abcdef0"};
  EXPECT_EQ(v.to_string(),
            "pdu.header-digest-mismatch (RFC 7143 §13.1): header digest 0x12345678 != computed "
            "0x9abcdef0");
  EXPECT_EQ(v.id(), "pdu.header-digest-mismatch");
  EXPECT_EQ(v.severity(), Severity::fatal);
}

TEST(Violation, ToStringWithEmptyDetailKeepsTheSeparator) {
  constexpr ViolationKind kind{"login.bad-version", "RFC 7143 §11.12.4", Severity::recoverable};
  EXPECT_EQ((Violation{kind, ""}).to_string(), "login.bad-version (RFC 7143 §11.12.4): ");
}

TEST(Violation, DetailIsNotInterpretedAsAFormatString) {
  constexpr ViolationKind kind{"text.bad-key", "RFC 7143 §6.1", Severity::warning};
  EXPECT_EQ((Violation{kind, "key {} and {0}"}).to_string(),
            "text.bad-key (RFC 7143 §6.1): key {} and {0}");
}

TEST(Severity, Names) {
  EXPECT_EQ(to_string(Severity::warning), "warning");
  EXPECT_EQ(to_string(Severity::recoverable), "recoverable");
  EXPECT_EQ(to_string(Severity::fatal), "fatal");
}

}  // namespace
}  // namespace iscsi
