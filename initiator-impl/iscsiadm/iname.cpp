#include "initiator-impl/iscsiadm/iname.hpp"

#include <fmt/format.h>

#include <array>

namespace iscsi::initiator::iscsiadm {

std::string make_initiator_name(runtime::Rng& rng, std::string_view prefix) {
  std::array<std::uint8_t, 6> bytes{};
  rng.fill(MutableByteView(bytes.data(), bytes.size()));
  std::string name = fmt::format("{}:", prefix);
  for (std::uint8_t b : bytes) name += fmt::format("{:x}", b);
  return name;
}

}  // namespace iscsi::initiator::iscsiadm
