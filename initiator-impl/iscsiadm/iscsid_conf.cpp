#include "initiator-impl/iscsiadm/iscsid_conf.hpp"

#include <fmt/format.h>

namespace iscsi::initiator::iscsiadm {
namespace {

bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

std::string_view strip(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// One non-comment line: "name = value". The name ends at a blank or '='; blanks may
// surround the '='. (open-iscsi's reader also wants a blank after the name; "a=b" is
// accepted here, as every other reader of this format does.)
void parse_line(std::string_view line, std::size_t number, ConfFile& conf) {
  std::size_t i = 0;
  while (i < line.size() && !is_space(line[i]) && line[i] != '=') ++i;
  std::string_view name = line.substr(0, i);
  while (i < line.size() && is_space(line[i])) ++i;
  if (i >= line.size()) {
    conf.warnings.push_back({number, fmt::format("config file line {} do not has value", number)});
    return;
  }
  if (line[i] != '=') {
    conf.warnings.push_back({number, fmt::format("config file line {} has not '=' sepa", number)});
    return;
  }
  std::string_view value = strip(line.substr(i + 1));
  if (value.empty() || name.empty()) {
    conf.warnings.push_back({number, fmt::format("config file line {} do not has value", number)});
    return;
  }
  conf.entries.push_back({std::string(name), std::string(value), number});
}

}  // namespace

ConfFile parse_conf(std::string_view text) {
  ConfFile conf;
  std::size_t pos = 0;
  for (std::size_t number = 1; pos < text.size() && number <= kMaxConfLines; ++number) {
    std::size_t end = text.find('\n', pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? end : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    if (line.size() > kMaxConfLineChars) {
      conf.warnings.push_back({number, fmt::format("Config file line {} too long.", number)});
      continue;
    }
    line = strip(line);
    if (line.empty() || line.front() == '#') continue;
    parse_line(line, number, conf);
  }
  return conf;
}

void apply_entries(const ConfFile& conf, ConfKeys keys, Record& record,
                   std::vector<LineWarning>* warnings) {
  for (const ConfEntry& entry : conf.entries) {
    for (const FieldSpec& field : record.schema()) {
      if (field.key != entry.key) continue;
      if (keys == ConfKeys::modifiable && !field.modifiable) continue;
      if (auto canonical = canonical_value(field, entry.value)) {
        record.set_raw(field.key, std::move(*canonical));
      } else if (warnings) {
        warnings->push_back({entry.line, fmt::format("config file line {} contains unknown value "
                                                     "format '{}' for parameter name '{}'",
                                                     entry.line, entry.value, entry.key)});
      }
    }
  }
}

void apply_conf(const ConfFile& conf, Record& record, std::vector<LineWarning>* warnings) {
  apply_entries(conf, ConfKeys::modifiable, record, warnings);
}

Record node_from_conf(const ConfFile& conf) {
  Record record(node_schema());
  apply_conf(conf, record, nullptr);
  return record;
}

std::string format_warnings(const std::vector<LineWarning>& warnings) {
  std::string out;
  for (const LineWarning& warning : warnings) out += fmt::format("iscsiadm: {}\n", warning.message);
  return out;
}

std::string_view default_iscsid_conf() {
  return R"(#
# Open-iSCSI default configuration (iscsim: open-iscsi 2.1.8's iscsid.conf, trimmed to the
# settings iscsim honours). Discovery copies these values into every node record it creates;
# change a record afterwards with: iscsiadm -m node -T IQN -p IP:PORT -o update -n KEY -v VALUE
#

#*****************
# Startup settings
#*****************
# To request that the iscsi service scripts startup a session, use "automatic":
# node.startup = automatic
# To manually startup the session, use "manual". The default is manual.
node.startup = manual

# *************
# CHAP Settings
# *************
# To enable CHAP authentication set node.session.auth.authmethod to CHAP.
# The default is None.
#node.session.auth.authmethod = CHAP

# To configure which CHAP algorithms to enable, set node.session.auth.chap_algs to a
# comma separated list, in order of preference. The algorithms supported are MD5, SHA1,
# SHA256 and SHA3-256. The default is MD5.
#node.session.auth.chap_algs = SHA3-256,SHA256,SHA1,MD5

# To set a CHAP username and password for initiator authentication by the target(s):
#node.session.auth.username = username
#node.session.auth.password = password

# To set a CHAP username and password for target(s) authentication by the initiator
# (mutual CHAP):
#node.session.auth.username_in = username_in
#node.session.auth.password_in = password_in

# To enable CHAP authentication for a discovery session to the target, set
# discovery.sendtargets.auth.authmethod to CHAP. The default is None.
#discovery.sendtargets.auth.authmethod = CHAP

# To set a discovery session CHAP username and password for the initiator
# authentication by the target(s):
#discovery.sendtargets.auth.username = username
#discovery.sendtargets.auth.password = password

# To set a discovery session CHAP username and password for target(s)
# authentication by the initiator:
#discovery.sendtargets.auth.username_in = username_in
#discovery.sendtargets.auth.password_in = password_in

# ********
# Timeouts
# ********
# To specify the length of time to wait for session re-establishment before failing
# SCSI commands back to the application:
node.session.timeo.replacement_timeout = 120

# To specify the time to wait for login to complete, set login_timeout:
node.conn[0].timeo.login_timeout = 15

# To specify the time to wait for logout to complete, set logout_timeout:
node.conn[0].timeo.logout_timeout = 15

# Time interval to wait for on connection before sending a ping.
node.conn[0].timeo.noop_out_interval = 5

# To specify the time to wait for a Nop-out response before failing the connection:
node.conn[0].timeo.noop_out_timeout = 5

# To control how many login attempts are made, in units of login_timeout
# (8 attempts of 15 seconds: about 120 seconds):
node.session.initial_login_retry_max = 8

# Number of times iscsiadm retries to reconnect to a discovery portal:
discovery.sendtargets.reopen_max = 5

# ******
# iSCSI
# ******
# To enable R2T flow control (i.e., the initiator must wait for an R2T command before
# sending any data), uncomment the following line:
#node.session.iscsi.InitialR2T = Yes
# To disable R2T flow control (i.e., the initiator has an implied initial R2T of
# "FirstBurstLength" at offset 0), uncomment the following line. The default is No.
node.session.iscsi.InitialR2T = No

# To disable immediate data (i.e., the initiator does not send unsolicited data with the
# iSCSI command PDU), uncomment the following line:
#node.session.iscsi.ImmediateData = No
# To enable immediate data, uncomment the following line. The default is Yes.
node.session.iscsi.ImmediateData = Yes

# To specify the maximum number of unsolicited data bytes the initiator can send in an
# iSCSI PDU to a target:
node.session.iscsi.FirstBurstLength = 262144

# To specify the maximum SCSI payload that the initiator will negotiate with the target:
node.session.iscsi.MaxBurstLength = 16776192

# To specify the maximum number of data bytes the initiator can receive in an iSCSI PDU
# from a target:
node.conn[0].iscsi.MaxRecvDataSegmentLength = 262144

# To specify the maximum number of data bytes the initiator will receive in an iSCSI PDU
# during a discovery session:
discovery.sendtargets.iscsi.MaxRecvDataSegmentLength = 32768

# To allow the targets to control the setting of the digest checking, with the initiator
# requesting a preference of enabling the checking, uncomment one or both of:
#node.conn[0].iscsi.HeaderDigest = CRC32C,None
#node.conn[0].iscsi.DataDigest = CRC32C,None
# To allow the targets to control the setting of the digest checking, with the initiator
# requesting a preference of disabling the checking, uncomment one or both of:
#node.conn[0].iscsi.HeaderDigest = None,CRC32C
#node.conn[0].iscsi.DataDigest = None,CRC32C
# To enable CRC32C digest checking for the header and/or data part of iSCSI PDUs,
# uncomment one or both of:
#node.conn[0].iscsi.HeaderDigest = CRC32C
#node.conn[0].iscsi.DataDigest = CRC32C
# To disable digest checking for the header and/or data part of iSCSI PDUs, uncomment
# one or both of the following lines. The default is None for both.
#node.conn[0].iscsi.HeaderDigest = None
#node.conn[0].iscsi.DataDigest = None

# The error recovery level the initiator offers (0, 1 or 2). The default is 0.
#node.session.iscsi.ERL = 0

# The number of outstanding R2Ts the initiator allows per task. The default is 1.
#node.session.iscsi.MaxOutstandingR2T = 1
)";
}

}  // namespace iscsi::initiator::iscsiadm
