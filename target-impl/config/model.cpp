#include "target-impl/config/model.hpp"

namespace iscsi::target::config {

std::string_view to_string(Profile profile) {
  switch (profile) {
    case Profile::rfc:
      return "rfc";
    case Profile::tgt:
      return "tgt";
  }
  return "rfc";
}

std::optional<Profile> parse_profile(std::string_view text) {
  if (text == "rfc") return Profile::rfc;
  if (text == "tgt") return Profile::tgt;
  return std::nullopt;
}

const TargetConfig* SystemConfig::find_target(std::string_view name) const {
  for (const auto& [tid, target] : targets) {
    if (target.name == name) return &target;
  }
  return nullptr;
}

const Account* SystemConfig::find_account(std::string_view user) const {
  auto it = accounts.find(user);
  return it == accounts.end() ? nullptr : &it->second;
}

namespace {

std::uint32_t prefix_mask(std::uint8_t prefix_length) {
  if (prefix_length == 0) return 0;
  if (prefix_length >= 32) return 0xffffffffU;
  return ~((std::uint32_t{1} << (32U - prefix_length)) - 1U);
}

bool address_matches(const AddressRule& rule, std::uint32_t initiator_ipv4) {
  if (rule.all) return true;
  std::uint32_t mask = prefix_mask(rule.prefix_length);
  return (initiator_ipv4 & mask) == (rule.network & mask);
}

}  // namespace

// tgt's acl_check (usr/iscsi/target.c): the address list is consulted first, then the
// initiator-name list; either match admits, and empty lists admit nobody.
bool admits(const TargetConfig& target, std::uint32_t initiator_ipv4,
            std::string_view initiator_name) {
  for (const AddressRule& rule : target.initiator_addresses) {
    if (address_matches(rule, initiator_ipv4)) return true;
  }
  for (const std::string& name : target.initiator_names) {
    if (name == initiator_name) return true;
  }
  return false;
}

}  // namespace iscsi::target::config
