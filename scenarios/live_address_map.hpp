#pragma once
// How a live run (docs/scenarios.md, Against a live target) turns a scenario's addresses into
// loopback ones and back, so the scenario's own lines and expectations hold unchanged:
// - the target's portals (with or without their port) and its host's addresses become the live
//   endpoint HOST:PORT;
// - every other IPv4 address keeps its last three bytes under 127 (192.168.234.10 ->
//   127.168.234.10), and an ACL's address/prefix keeps its prefix (192.168.234.0/24 ->
//   127.168.234.0/24; shorter than /8: 127.0.0.0/8), so an ACL admits the same initiators;
// - output goes back: HOST:PORT and HOST,PORT become the target's first portal, and every
//   mapped address the scenario names becomes its own again.
// Each initiator connects from its host's mapped address (127.0.0.0/8 is all on loopback).
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/result.hpp"
#include "core/runtime/stream.hpp"
#include "scenarios/model.hpp"

namespace iscsi::scenarios {

class LiveAddressMap {
 public:
  // `live` must lie in 127.0.0.0/8. An error when two of the scenario's initiator hosts would
  // share a loopback address, or one would be the live target's own.
  static Result<LiveAddressMap> make(const Scenario& scenario, runtime::Endpoint live);

  // One word of an iscsiadm or tgtadm line.
  std::string map_word(std::string_view word) const;
  std::vector<std::string> map_words(std::vector<std::string> words) const;
  // What a live peer printed, with the scenario's addresses back.
  std::string unmap_text(std::string_view text) const;
  // The source address an initiator host connects from (host byte order).
  std::uint32_t source_of(const HostSpec& host) const { return loopback_of(host.ipv4.front()); }
  runtime::Endpoint live() const { return live_; }

  // a.b.c.d -> 127.b.c.d.
  static std::uint32_t loopback_of(std::uint32_t ipv4) {
    return (ipv4 & 0x00ffffffU) | 0x7f000000U;
  }

 private:
  LiveAddressMap() = default;
  void remember(std::string mapped, std::string original);

  runtime::Endpoint live_;
  std::vector<runtime::Endpoint> portals_;  // the target's portals
  std::vector<std::uint32_t> target_addresses_;
  runtime::Endpoint first_portal_;
  // (mapped, original) text pairs for unmap_text, longest mapped text first.
  std::vector<std::pair<std::string, std::string>> back_;
};

// True for an address in 127.0.0.0/8 (host byte order).
constexpr bool is_loopback(std::uint32_t ipv4) { return (ipv4 >> 24) == 127; }

}  // namespace iscsi::scenarios
