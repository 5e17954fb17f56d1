#include "initiator-impl/host/login_settings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "core/chap/algorithm.hpp"
#include "core/runtime/address.hpp"

namespace iscsi::initiator::host {
namespace {

namespace keys = iscsiadm::keys;

// Bounds from the key table of RFC 7143 §13 and open-iscsi's own checks.
constexpr std::int64_t kMinDataSegment = 512;
constexpr std::int64_t kMaxDataSegment = (1 << 24) - 1;  // §13.12, §13.13, §13.14
constexpr std::int64_t kMaxTimeoutSeconds = 3600;        // §13.19, §13.20 and our own bound
constexpr unsigned kMaxRecoveryAttempts = 1000;

// Reads typed values out of a record, keeping the first error.
class Reader {
 public:
  explicit Reader(const iscsiadm::Record& record) : record_(record) {}

  std::int64_t number(std::string_view key, std::int64_t min, std::int64_t max) {
    const std::string& text = record_.get(key);
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
      fail(key, text, "it is not a number");
      return min;
    }
    if (value < min || value > max) {
      fail(key, text, fmt::format("it must lie between {} and {}", min, max));
      return min;
    }
    return value;
  }
  std::uint32_t u32(std::string_view key, std::int64_t min, std::int64_t max) {
    return static_cast<std::uint32_t>(number(key, min, max));
  }
  runtime::Duration seconds(std::string_view key, std::int64_t min) {
    return std::chrono::seconds(number(key, min, kMaxTimeoutSeconds));
  }
  bool yes(std::string_view key) {
    const std::string& text = record_.get(key);
    if (text != "Yes" && text != "No") fail(key, text, "it must be Yes or No");
    return text == "Yes";
  }
  // A HeaderDigest/DataDigest choice in open-iscsi's words, as an offer list (§13.1).
  std::vector<std::string> digests(std::string_view key) {
    const std::string& text = record_.get(key);
    if (text == "None") return {"None"};
    if (text == "CRC32C") return {"CRC32C"};
    if (text == "CRC32C,None") return {"CRC32C", "None"};
    if (text == "None,CRC32C") return {"None", "CRC32C"};
    fail(key, text, "it must be None, CRC32C, CRC32C,None or None,CRC32C");
    return {"None"};
  }
  // An IPv4 address; "" (and iface's "default") means any when `any_ok`.
  std::uint32_t ipv4(std::string_view key, bool any_ok) {
    const std::string& text = record_.get(key);
    if (any_ok && (text.empty() || text == "default")) return 0;
    auto parsed = runtime::parse_ipv4(text);
    if (!parsed) fail(key, text, "it is not an IPv4 address");
    return parsed.value_or(0);
  }
  const std::string& text(std::string_view key) const { return record_.get(key); }

  void fail(std::string_view key, std::string_view value, std::string_view why) {
    if (error_.empty()) error_ = fmt::format("invalid value '{}' for {}: {}", value, key, why);
  }
  const std::string& error() const { return error_; }

 private:
  const iscsiadm::Record& record_;
  std::string error_;
};

// iscsi_setup_authentication(): CHAP when asked for with an outgoing secret; mutual when the
// incoming pair is set too (the target must then authenticate, RFC 7143 §12.1.3).
std::optional<chap::OriginatorConfig> chap_settings(Reader& reader, std::string_view prefix) {
  const auto key = [prefix](std::string_view name) { return fmt::format("{}{}", prefix, name); };
  if (reader.text(key("authmethod")) != "CHAP") return std::nullopt;
  const std::string& password = reader.text(key("password"));
  const std::string& username_in = reader.text(key("username_in"));
  const std::string& password_in = reader.text(key("password_in"));
  if (password.empty()) return std::nullopt;  // nothing to authenticate with: AuthMethod=None
  chap::OriginatorConfig config;
  config.credentials = {reader.text(key("username")), password};
  if (config.credentials.name.empty()) {
    reader.fail(key("username"), "", "CHAP needs a user name with the password");
  }
  if (!username_in.empty() || !password_in.empty()) {
    if (username_in.empty() || password_in.empty()) {
      reader.fail(username_in.empty() ? key("username_in") : key("password_in"), "",
                  "mutual CHAP needs both username_in and password_in");
    }
    config.target_credentials = chap::Credentials{username_in, password_in};
  }
  return config;
}

void read_operational(Reader& reader, negotiation::LocalPolicy& policy) {
  policy.header_digests = reader.digests(keys::header_digest);
  policy.data_digests = reader.digests(keys::data_digest);
  policy.initial_r2t = reader.yes(keys::initial_r2t);
  policy.immediate_data = reader.yes(keys::immediate_data);
  policy.first_burst_length = reader.u32(keys::first_burst, kMinDataSegment, kMaxDataSegment);
  policy.max_burst_length = reader.u32(keys::max_burst, kMinDataSegment, kMaxDataSegment);
  policy.max_recv_data_segment_length =
      reader.u32(keys::max_recv_dsl, kMinDataSegment, kMaxDataSegment);
  policy.max_outstanding_r2t = reader.u32(keys::max_r2t, 1, 65535);
  policy.error_recovery_level = static_cast<std::uint8_t>(reader.number(keys::erl, 0, 2));
  policy.default_time2wait = reader.u32("node.session.iscsi.DefaultTime2Wait", 0, 3600);
  policy.default_time2retain = reader.u32("node.session.iscsi.DefaultTime2Retain", 0, 3600);
  policy.max_connections = reader.u32("node.session.iscsi.MaxConnections", 1, 65535);
  if (reader.error().empty() && policy.first_burst_length > policy.max_burst_length) {
    reader.fail(keys::first_burst, std::to_string(policy.first_burst_length),
                fmt::format("it exceeds {} ({}) (RFC 7143 §13.14)", keys::max_burst,
                            policy.max_burst_length));
  }
}

// Login timeout, NOP pings, logout timeout and ERL 0 recovery: open-iscsi retries a lost
// session every DefaultTime2Wait seconds until replacement_timeout has passed.
void read_timers(Reader& reader, client::LoginRequest& request) {
  auto& connection = request.connection;
  connection.login_timeout = reader.seconds(keys::login_timeout, 1);
  request.connect_timeout = connection.login_timeout;
  connection.nop.interval = reader.seconds(keys::noop_interval, 0);
  connection.nop.timeout = reader.seconds(keys::noop_timeout, 0);
  connection.limits.logout_timeout = reader.seconds("node.conn[0].timeo.logout_timeout", 1);
  const auto wait = reader.number("node.session.iscsi.DefaultTime2Wait", 0, 3600);
  const auto replacement = reader.number("node.session.timeo.replacement_timeout", 0, 86400);
  const std::int64_t step = std::max<std::int64_t>(wait, 1);
  request.recovery.retry_delay = std::chrono::seconds(step);
  request.recovery.max_attempts = static_cast<unsigned>(
      std::min<std::int64_t>(replacement / step, kMaxRecoveryAttempts));
}

std::string initiator_name_for(const iscsiadm::Record& iface, std::string_view host_name) {
  const std::string& own = iface.get(keys::iface_initiatorname);
  return own.empty() ? std::string(host_name) : own;
}

}  // namespace

std::optional<std::vector<std::uint8_t>> chap_algorithms(std::string_view list) {
  // open-iscsi's names (usr/idbm.c chap_algs) and the CHAP_A numbers (RFC 7143 §12.1.3).
  constexpr std::pair<std::string_view, std::uint8_t> kNames[] = {
      {"MD5", chap::kAlgorithmMd5},
      {"SHA1", chap::kAlgorithmSha1},
      {"SHA256", chap::kAlgorithmSha256},
      {"SHA3-256", chap::kAlgorithmSha3_256}};
  constexpr std::size_t kMaxAlgorithms = 4;
  std::vector<std::uint8_t> algorithms;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string_view word = list.substr(start, comma - start);
    const auto* named = std::find_if(std::begin(kNames), std::end(kNames),
                                     [word](const auto& entry) { return entry.first == word; });
    if (named == std::end(kNames) || algorithms.size() == kMaxAlgorithms) return std::nullopt;
    algorithms.push_back(named->second);
    start = comma + 1;
  }
  return algorithms;
}

NodeLoginSettings node_login_settings(const iscsiadm::Record& node, const iscsiadm::Record& iface,
                                      std::string_view initiator_name) {
  Reader reader(node);
  Reader iface_reader(iface);
  NodeLogin login;
  client::LoginRequest& request = login.request;
  request.portal.ipv4 = reader.ipv4(keys::conn_address, false);
  request.portal.port = static_cast<std::uint16_t>(reader.number(keys::conn_port, 1, 65535));
  request.source_ipv4 = iface_reader.ipv4(keys::iface_ipaddress, true);
  request.setup.initiator_name = initiator_name_for(iface, initiator_name);
  request.setup.target_name = node.get(keys::node_name);
  if (request.setup.target_name.empty()) reader.fail(keys::node_name, "", "a login needs a target");
  request.setup.chap = chap_settings(reader, "node.session.auth.");
  if (request.setup.chap) {
    auto algorithms = chap_algorithms(node.get(keys::chap_algs));
    if (!algorithms) reader.fail(keys::chap_algs, node.get(keys::chap_algs), "unknown algorithm");
    else request.setup.chap->algorithms = std::move(*algorithms);
  }
  read_operational(reader, request.setup.policy);
  read_timers(reader, request);
  login.retry_max = static_cast<unsigned>(reader.number(keys::login_retry_max, 0, 1000));
  NodeLoginSettings settings;
  if (!reader.error().empty()) settings.error = reader.error();
  else if (!iface_reader.error().empty()) settings.error = iface_reader.error();
  else settings.login = std::move(login);
  return settings;
}

DiscoveryLoginSettings discovery_login_settings(const iscsiadm::Record& discovery,
                                                const iscsiadm::Record& iface,
                                                std::string_view initiator_name) {
  Reader reader(discovery);
  Reader iface_reader(iface);
  DiscoveryLogin login;
  client::LoginRequest& request = login.request;
  request.portal.ipv4 = reader.ipv4(keys::st_address, false);
  request.portal.port = static_cast<std::uint16_t>(reader.number(keys::st_port, 1, 65535));
  request.source_ipv4 = iface_reader.ipv4(keys::iface_ipaddress, true);
  request.setup.initiator_name = initiator_name_for(iface, initiator_name);
  request.setup.chap = chap_settings(reader, "discovery.sendtargets.auth.");
  request.setup.policy.max_recv_data_segment_length = reader.u32(
      "discovery.sendtargets.iscsi.MaxRecvDataSegmentLength", kMinDataSegment, kMaxDataSegment);
  request.connection.login_timeout =
      reader.seconds("discovery.sendtargets.timeo.login_timeout", 1);
  request.connect_timeout = request.connection.login_timeout;
  request.recovery.max_attempts = 0;
  login.reopen_max =
      static_cast<unsigned>(reader.number("discovery.sendtargets.reopen_max", 0, 1000));
  DiscoveryLoginSettings settings;
  if (!reader.error().empty()) settings.error = reader.error();
  else if (!iface_reader.error().empty()) settings.error = iface_reader.error();
  else settings.login = std::move(login);
  return settings;
}

}  // namespace iscsi::initiator::host
