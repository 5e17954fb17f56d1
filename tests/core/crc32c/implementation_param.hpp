#pragma once
// Shared by the CRC32C tests: a fixture parameterised over every implementation, skipping the
// ones this CPU cannot run (they are still compiled, and run wherever the CPU has them).
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "core/crc32c/implementations.hpp"

namespace iscsi::crc32c {

class ImplementationTest : public ::testing::TestWithParam<Implementation> {
 protected:
  void SetUp() override {
    if (!is_supported(GetParam(), detect_cpu_features())) {
      GTEST_SKIP() << name(GetParam()) << " is not supported by this CPU";
    }
  }
};

// So failure messages name the implementation instead of dumping its bytes.
inline void PrintTo(Implementation implementation, std::ostream* out) {
  *out << name(implementation);
}

// GoogleTest parameter names must be alphanumeric: "sse4.2+pclmul" -> "sse4_2_pclmul".
inline std::string implementation_param_name(
    const ::testing::TestParamInfo<Implementation>& info) {
  std::string out(name(info.param));
  for (char& c : out) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum) c = '_';
  }
  return out;
}

}  // namespace iscsi::crc32c
