#pragma once
// The PDU model: one struct per opcode with every field of its layout (RFC 7143 §11), the
// Header variant over all of them, and Pdu = header + AHS + data segment. Lengths
// (TotalAHSLength, DataSegmentLength), padding and digests are not stored: the encoder computes
// them and the decoder checks them.
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/pdu/ahs.hpp"
#include "core/pdu/codes.hpp"
#include "core/pdu/headers_data.hpp"
#include "core/pdu/headers_login.hpp"
#include "core/pdu/headers_logout.hpp"
#include "core/pdu/headers_nop.hpp"
#include "core/pdu/headers_recovery.hpp"
#include "core/pdu/headers_scsi.hpp"
#include "core/pdu/headers_task_mgmt.hpp"
#include "core/pdu/headers_text.hpp"
#include "core/pdu/isid.hpp"
#include "core/pdu/limits.hpp"
#include "core/pdu/login_status.hpp"
#include "core/pdu/lun.hpp"
#include "core/pdu/opcode.hpp"

namespace iscsi::pdu {

using Header =
    std::variant<NopOut, ScsiCommand, TaskMgmtRequest, LoginRequest, TextRequest, ScsiDataOut,
                 LogoutRequest, SnackRequest, NopIn, ScsiResponse, TaskMgmtResponse, LoginResponse,
                 TextResponse, ScsiDataIn, LogoutResponse, R2t, AsyncMessage, Reject>;

struct Pdu {
  Header header;
  Bytes data;            // the data segment without padding
  std::vector<Ahs> ahs;  // in wire order
  bool operator==(const Pdu&) const = default;
};

// A default-constructed header of the given opcode; std::nullopt for a value that is not one
// of the 18 opcodes.
std::optional<Header> make_header(Opcode opcode);

Opcode opcode(const Header& header);
inline Opcode opcode(const Pdu& pdu) { return opcode(pdu.header); }

// BHS bytes 16-19, present in every PDU (kReservedTag in Async Message and Reject).
std::uint32_t itt(const Header& header);
inline std::uint32_t itt(const Pdu& pdu) { return itt(pdu.header); }

// The fields a PDU carries, or std::nullopt when its layout has no such field.
std::optional<std::uint32_t> ttt(const Header& header);
std::optional<std::uint32_t> cmd_sn(const Header& header);
std::optional<std::uint32_t> exp_stat_sn(const Header& header);
std::optional<std::uint32_t> stat_sn(const Header& header);
std::optional<std::uint32_t> exp_cmd_sn(const Header& header);
std::optional<std::uint32_t> max_cmd_sn(const Header& header);
std::optional<Lun> lun(const Header& header);
// The I bit; false for PDUs that have none (every target PDU, Data-Out, SNACK). A Login
// Request is always immediate (RFC 7143 §11.12).
bool immediate(const Header& header);

// The whole CDB of a SCSI Command: the 16 BHS bytes followed by the Extended-CDB AHS bytes
// (RFC 7143 §11.3.5); std::nullopt when the header is not a SCSI Command.
std::optional<Bytes> full_cdb(const Pdu& pdu);
// Stores a CDB of any length in a SCSI Command PDU: bytes 0-15 into the BHS (zero-filled when
// shorter), the rest into an Extended-CDB AHS that replaces any existing one. Returns false
// (and changes nothing) when the header is not a SCSI Command.
bool set_cdb(Pdu& pdu, ByteView cdb);
// The Bidirectional Read Expected Data Transfer Length AHS value, if present.
std::optional<std::uint32_t> bidi_read_expected_length(const Pdu& pdu);

}  // namespace iscsi::pdu
