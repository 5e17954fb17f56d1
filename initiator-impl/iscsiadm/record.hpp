#pragma once
// open-iscsi's records (node, discovery, iface) as ordered key/value tables (usr/idbm.c
// idbm_recinfo_*): each key has a kind, a default, whether `-o update` may change it and
// whether iscsiadm masks it. One schema-driven Record serves all three, so the show format,
// the file format and the update rules are written once.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace iscsi::initiator::iscsiadm {

enum class FieldKind { string, integer, choice, chap_list };
enum class Visibility { show, masked };

struct FieldSpec {
  std::string_view key;
  FieldKind kind;
  std::string_view default_value;
  std::span<const std::string_view> options;  // the words of a choice, in open-iscsi's order
  bool modifiable;                             // false for the keys that locate the record
  Visibility visibility = Visibility::show;
};

using Schema = std::span<const FieldSpec>;

Schema node_schema();
Schema discovery_schema();  // discovery.sendtargets.* (send_targets/<ip>,<port>/st_config)
Schema iface_schema();

// A warning about one line of a config or record file (open-iscsi logs and goes on).
struct LineWarning {
  std::size_t line = 0;
  std::string message;
};

class Record {
 public:
  explicit Record(Schema schema);  // every key at its default

  Schema schema() const { return schema_; }
  bool has(std::string_view key) const { return index_of(key).has_value(); }
  // The value of a key of the schema; "" for a key outside it.
  const std::string& get(std::string_view key) const;
  int get_int(std::string_view key) const;
  // Stores a value without the update rules (lookup keys, values from our own code).
  void set_raw(std::string_view key, std::string value);
  // `-o update -n KEY -v VALUE` (idbm_verify_param + idbm_rec_update_param): returns
  // open-iscsi's error sentence, or nullopt when the value was stored.
  std::optional<std::string> set_param(std::string_view key, std::string_view value);

  // `-o show`: "# BEGIN RECORD 2.1.8", "key = value" lines with <empty> for empty values
  // and ******** for set secrets unless `show_secrets` (-S), "# END RECORD".
  std::string show(bool show_secrets) const;
  // The stored file: the same lines, empty values omitted, secrets in clear.
  std::string serialize() const;

  bool operator==(const Record& other) const { return values_ == other.values_; }

 private:
  std::optional<std::size_t> index_of(std::string_view key) const;

  Schema schema_;
  std::vector<std::string> values_;
};

inline constexpr std::size_t kMaxValueChars = 255;  // VALUE_MAXVAL - 1

// Checks a value against a field's kind; returns the canonical text or nullopt. Strings are
// stripped of surrounding blanks and hold at most kMaxValueChars bytes.
std::optional<std::string> canonical_value(const FieldSpec& field, std::string_view value);

// Reads a stored record file (or any "key = value" text): keys outside the schema are ignored,
// bad values keep the default and add a warning naming the line.
Record parse_record(Schema schema, std::string_view text, std::vector<LineWarning>* warnings);

// Node record keys used by code (the rest is reached through the schema).
namespace keys {
inline constexpr std::string_view node_name = "node.name";
inline constexpr std::string_view node_tpgt = "node.tpgt";
inline constexpr std::string_view node_startup = "node.startup";
inline constexpr std::string_view iface_name = "iface.iscsi_ifacename";
inline constexpr std::string_view iface_ipaddress = "iface.ipaddress";
inline constexpr std::string_view iface_hwaddress = "iface.hwaddress";
inline constexpr std::string_view iface_netdev = "iface.net_ifacename";
inline constexpr std::string_view iface_transport = "iface.transport_name";
inline constexpr std::string_view iface_initiatorname = "iface.initiatorname";
inline constexpr std::string_view disc_address = "node.discovery_address";
inline constexpr std::string_view disc_port = "node.discovery_port";
inline constexpr std::string_view disc_type = "node.discovery_type";
inline constexpr std::string_view login_retry_max = "node.session.initial_login_retry_max";
inline constexpr std::string_view authmethod = "node.session.auth.authmethod";
inline constexpr std::string_view username = "node.session.auth.username";
inline constexpr std::string_view password = "node.session.auth.password";
inline constexpr std::string_view username_in = "node.session.auth.username_in";
inline constexpr std::string_view password_in = "node.session.auth.password_in";
inline constexpr std::string_view chap_algs = "node.session.auth.chap_algs";
inline constexpr std::string_view initial_r2t = "node.session.iscsi.InitialR2T";
inline constexpr std::string_view immediate_data = "node.session.iscsi.ImmediateData";
inline constexpr std::string_view first_burst = "node.session.iscsi.FirstBurstLength";
inline constexpr std::string_view max_burst = "node.session.iscsi.MaxBurstLength";
inline constexpr std::string_view max_r2t = "node.session.iscsi.MaxOutstandingR2T";
inline constexpr std::string_view erl = "node.session.iscsi.ERL";
inline constexpr std::string_view conn_address = "node.conn[0].address";
inline constexpr std::string_view conn_port = "node.conn[0].port";
inline constexpr std::string_view login_timeout = "node.conn[0].timeo.login_timeout";
inline constexpr std::string_view noop_interval = "node.conn[0].timeo.noop_out_interval";
inline constexpr std::string_view noop_timeout = "node.conn[0].timeo.noop_out_timeout";
inline constexpr std::string_view max_recv_dsl = "node.conn[0].iscsi.MaxRecvDataSegmentLength";
inline constexpr std::string_view header_digest = "node.conn[0].iscsi.HeaderDigest";
inline constexpr std::string_view data_digest = "node.conn[0].iscsi.DataDigest";
// discovery records
inline constexpr std::string_view st_address = "discovery.sendtargets.address";
inline constexpr std::string_view st_port = "discovery.sendtargets.port";
}  // namespace keys

}  // namespace iscsi::initiator::iscsiadm
