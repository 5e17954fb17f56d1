// Result<T>: a value or a Violation (DESIGN.md, style rule 2).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>

#include "core/common/result.hpp"

namespace iscsi {
namespace {

constexpr ViolationKind kTestKind{"test.bad-value", "RFC 7143 §11.2.1", Severity::recoverable};

Result<int> half(int v) {
  if (v % 2 != 0) return Violation{kTestKind, "odd value " + std::to_string(v)};
  return v / 2;
}

TEST(Result, HoldsAValue) {
  Result<int> r = half(8);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.value(), 4);
  EXPECT_EQ(*r, 4);
}

TEST(Result, HoldsAViolation) {
  const Result<int> r = half(7);
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.error().id(), "test.bad-value");
  EXPECT_EQ(r.error().detail, "odd value 7");
  EXPECT_EQ(r.error().severity(), Severity::recoverable);
}

TEST(Result, ValueCanBeModifiedAndMovedOut) {
  Result<std::string> r = std::string("abc");
  r->push_back('d');
  EXPECT_EQ(r->size(), 4u);
  (*r)[0] = 'x';
  const std::string taken = std::move(r).value();
  EXPECT_EQ(taken, "xbcd");
}

TEST(Result, HoldsMoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 5);
}

TEST(Result, ViolationCanBeMovedOut) {
  Result<int> r = half(3);
  const Violation v = std::move(r).error();
  EXPECT_EQ(v.detail, "odd value 3");
}

// Both constructors are implicit, so the argument's type alone picks the alternative.
TEST(Result, StringValueIsNotMistakenForAViolation) {
  Result<std::string> ok = std::string("fine");
  Result<std::string> bad = Violation{kTestKind, "nope"};
  EXPECT_TRUE(ok.ok());
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().detail, "nope");
}

Result<void> check_positive(int v) {
  if (v <= 0) return Violation{kTestKind, "not positive"};
  return success();
}

TEST(ResultVoid, SuccessAndFailure) {
  const Result<void> good = check_positive(1);
  EXPECT_TRUE(good.ok());
  EXPECT_TRUE(static_cast<bool>(good));
  const Result<void> bad = check_positive(0);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().id(), "test.bad-value");
  EXPECT_EQ(bad.error().detail, "not positive");
  const Result<void> defaulted;
  EXPECT_TRUE(defaulted.ok());
}

}  // namespace
}  // namespace iscsi
