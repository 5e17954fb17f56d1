// The run-time choice of path, the compile-time tables and the polynomial arithmetic that the
// three-stream hardware path uses to join its streams.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/crc32c/crc32c.hpp"
#include "core/crc32c/implementations.hpp"
#include "core/crc32c/tables.hpp"
#include "tests/support/fake_runtime.hpp"

namespace iscsi::crc32c {
namespace {

TEST(Crc32cDispatch, ChoosesTheFastestPathTheFeaturesAllow) {
  EXPECT_EQ(choose_implementation({.sse42 = true, .pclmul = true}), Implementation::sse42_pclmul);
  EXPECT_EQ(choose_implementation({.sse42 = true, .pclmul = false}), Implementation::sse42);
  // PCLMULQDQ alone is useless without the crc32 instruction.
  EXPECT_EQ(choose_implementation({.sse42 = false, .pclmul = true}), Implementation::slicing8);
  EXPECT_EQ(choose_implementation({.sse42 = false, .pclmul = false}), Implementation::slicing8);
}

TEST(Crc32cDispatch, SupportFollowsTheFeatures) {
  const CpuFeatures none{};
  EXPECT_TRUE(is_supported(Implementation::bitwise, none));
  EXPECT_TRUE(is_supported(Implementation::byte_table, none));
  EXPECT_TRUE(is_supported(Implementation::slicing8, none));
  EXPECT_FALSE(is_supported(Implementation::sse42, none));
  EXPECT_FALSE(is_supported(Implementation::sse42_pclmul, none));
  EXPECT_TRUE(is_supported(Implementation::sse42, {.sse42 = true, .pclmul = false}));
  EXPECT_FALSE(is_supported(Implementation::sse42_pclmul, {.sse42 = true, .pclmul = false}));
  EXPECT_FALSE(is_supported(Implementation::sse42_pclmul, {.sse42 = false, .pclmul = true}));
  EXPECT_TRUE(is_supported(Implementation::sse42_pclmul, {.sse42 = true, .pclmul = true}));
}

TEST(Crc32cDispatch, ActivePathIsSupportedAndNamed) {
  const Implementation chosen = active();
  EXPECT_TRUE(is_supported(chosen, detect_cpu_features()));
  EXPECT_EQ(active_implementation(), name(chosen));
  EXPECT_NE(chosen, Implementation::bitwise);
  EXPECT_NE(chosen, Implementation::byte_table);
#if !defined(__x86_64__)
  EXPECT_EQ(chosen, Implementation::slicing8);
#endif
}

TEST(Crc32cDispatch, NamesAreDistinct) {
  std::set<std::string, std::less<>> names;
  for (Implementation impl : kAllImplementations) names.emplace(name(impl));
  EXPECT_EQ(names.size(), kAllImplementations.size());
  EXPECT_EQ(name(Implementation::sse42_pclmul), "sse4.2+pclmul");
  EXPECT_EQ(name(Implementation::slicing8), "slicing-by-8");
}

TEST(Crc32cTables, ByteTableHasTheCastagnoliEntries) {
  // Entries of the published CRC32C byte table (e.g. RFC 3720 §B.4 implementations).
  EXPECT_EQ(detail::kSliceTables[0][0], 0x00000000u);
  EXPECT_EQ(detail::kSliceTables[0][1], 0xF26B8303u);
  EXPECT_EQ(detail::kSliceTables[0][128], 0x82F63B78u);
  EXPECT_EQ(detail::kSliceTables[0][255], 0xAD7D5351u);
}

TEST(Crc32cPolynomial, PowersOfX) {
  EXPECT_EQ(detail::x_pow_mod_p(0), 0x80000000u);  // 1, reflected
  EXPECT_EQ(detail::x_pow_mod_p(1), 0x40000000u);  // x
  EXPECT_EQ(detail::x_pow_mod_p(31), 0x00000001u);  // x^31
  EXPECT_EQ(detail::x_pow_mod_p(32), detail::kPolyReflected);  // x^32 == P - x^32
  test::SeededRng rng(3);
  for (int i = 0; i < 100; ++i) {
    const std::uint64_t a = rng.next_u64() % 1000000;
    const std::uint64_t b = rng.next_u64() % 1000000;
    EXPECT_EQ(detail::x_pow_mod_p(a + b),
              detail::multiply_mod_p(detail::x_pow_mod_p(a), detail::x_pow_mod_p(b)));
  }
}

// The shift the stream join relies on: digesting n zero bytes multiplies the register by
// x^(8n) modulo P.
TEST(Crc32cPolynomial, ZeroBytesMultiplyTheRegisterByAPowerOfX) {
  test::SeededRng rng(8);
  for (std::size_t n : {1u, 7u, 64u, 512u, 4096u, 8192u}) {
    const auto crc = static_cast<std::uint32_t>(rng.next_u64());
    const Bytes zeros(n, 0);
    const std::uint32_t shifted = detail::multiply_mod_p(~crc, detail::x_pow_mod_p(8 * n));
    EXPECT_EQ(extend_bitwise(crc, zeros), ~shifted) << "n " << n;
  }
}

}  // namespace
}  // namespace iscsi::crc32c
