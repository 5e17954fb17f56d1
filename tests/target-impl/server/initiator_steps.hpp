#pragma once
// Initiator-side steps over a RawInitiator, built from hand-made PDUs: logins (AuthMethod None,
// CHAP, Discovery), SendTargets, and SCSI commands with their Data-In, R2T and Data-Out.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/pdu/pdu.hpp"
#include "core/text/key_value.hpp"
#include "tests/target-impl/server/raw_initiator.hpp"

namespace iscsi::target::server::testing {

inline constexpr std::string_view kInitiatorName = "iqn.2026-01.org.example:ini1";
inline constexpr std::string_view kOtherInitiatorName = "iqn.2026-01.org.example:ini2";
inline constexpr pdu::Isid kIsid = pdu::Isid::make(pdu::IsidType::random, 0, 0x1234, 0x56, 1);

using Pairs = std::vector<std::pair<std::string, std::string>>;

// Where a session stands after its login: the numbers the next PDUs carry.
struct SessionState {
  std::uint16_t tsih = 0;
  std::uint32_t cmd_sn = 1;
  std::uint32_t exp_stat_sn = 0;
  std::uint32_t next_itt = 0x100;
};

struct LoginResult {
  std::uint16_t status = 0xffff;  // class << 8 | detail of the last Login Response; 0xffff: none
  bool full_feature = false;
  text::KeyValueList keys;  // of the last Login Response
  SessionState session;
};

struct LoginOptions {
  std::string initiator_name = std::string(kInitiatorName);
  std::string target_name{};  // empty: a Discovery session
  pdu::Isid isid = kIsid;
  Pairs operational{};  // keys offered in the operational stage (its own stage when non-empty)
  // CHAP (AuthMethod=CHAP, CHAP_A=5) with these credentials when the user is non-empty.
  std::string chap_user{};
  std::string chap_secret{};
};

LoginResult login(RawInitiator& initiator, const LoginOptions& options);

// Text Request SendTargets=<value>; the answer's pairs (empty on failure).
text::KeyValueList send_targets(RawInitiator& initiator, SessionState& session,
                                std::string_view value);

struct CommandResult {
  bool completed = false;
  std::uint8_t status = 0xff;
  Bytes data_in;
  Bytes sense;
  std::vector<std::string> problems;  // unexpected PDUs, Rejects, early close
};

// One SCSI command; write data goes as immediate data up to `immediate_limit` and the rest
// answers R2Ts, in Data-Out PDUs of at most `segment` bytes.
CommandResult scsi(RawInitiator& initiator, SessionState& session, std::uint16_t lun,
                   ByteView cdb, std::uint32_t expected_length, bool read, ByteView write_data,
                   std::uint32_t immediate_limit = 8192, std::uint32_t segment = 8192);
CommandResult test_unit_ready(RawInitiator& initiator, SessionState& session, std::uint16_t lun);
CommandResult read10(RawInitiator& initiator, SessionState& session, std::uint16_t lun,
                     std::uint32_t lba, std::uint16_t blocks);
CommandResult write10(RawInitiator& initiator, SessionState& session, std::uint16_t lun,
                      std::uint32_t lba, ByteView data);

std::string value_or_empty(const text::KeyValueList& keys, std::string_view key);

}  // namespace iscsi::target::server::testing
