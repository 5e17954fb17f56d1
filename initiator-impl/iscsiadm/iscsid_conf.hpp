#pragma once
// iscsid.conf (and the record files, which share its syntax): "key = value" lines, '#'
// comments and blank lines, read as usr/idbm.c idbm_recinfo_config() reads them. A bad line
// is skipped with a warning naming it; unknown keys are kept and ignored, as open-iscsi does.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "initiator-impl/iscsiadm/record.hpp"

namespace iscsi::initiator::iscsiadm {

inline constexpr std::size_t kMaxConfLines = 10000;
inline constexpr std::size_t kMaxConfLineChars = 2047;  // idbm's 2048-byte fgets buffer

struct ConfEntry {
  std::string key;
  std::string value;
  std::size_t line = 0;  // 1-based
};

struct ConfFile {
  std::vector<ConfEntry> entries;  // in file order; a later entry for a key wins
  std::vector<LineWarning> warnings;
};

ConfFile parse_conf(std::string_view text);

// Which keys of the record's schema an entry may set: iscsid.conf may not change the lookup
// keys (they come from discovery); a stored record file sets them all.
enum class ConfKeys : unsigned char { modifiable, all };

// Applies every entry whose key the record's schema has (and `keys` allows); a bad value
// keeps the old one and warns "config file line N contains unknown value format 'V' for
// parameter name 'K'".
void apply_entries(const ConfFile& conf, ConfKeys keys, Record& record,
                   std::vector<LineWarning>* warnings);

// apply_entries() with ConfKeys::modifiable: iscsid.conf onto a record.
void apply_conf(const ConfFile& conf, Record& record, std::vector<LineWarning>* warnings);

// A fresh node record: open-iscsi's defaults, then iscsid.conf (idbm_node_setup_from_conf).
Record node_from_conf(const ConfFile& conf);

// The iscsid.conf written on first use: open-iscsi 2.1.8's shipped file trimmed to the keys
// we honour, with their comments.
std::string_view default_iscsid_conf();

// "iscsiadm: config file line N ..." lines for printing.
std::string format_warnings(const std::vector<LineWarning>& warnings);

}  // namespace iscsi::initiator::iscsiadm
