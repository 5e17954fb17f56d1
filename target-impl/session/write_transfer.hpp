#pragma once
// Collection of one write task's data at the target (RFC 7143 §4.2.5, §11.7, §11.8, §13.10-
// §13.17): immediate data up to min(FirstBurstLength, EDTL) when ImmediateData=Yes,
// unsolicited Data-Out (TTT 0xffffffff) up to min(FirstBurstLength, EDTL) when InitialR2T=No
// and the command had F=0, then R2Ts of at most MaxBurstLength with at most MaxOutstandingR2T
// outstanding, each answered by one sequence with DataSN from 0, contiguous Buffer Offsets
// (DataPDUInOrder=Yes) and F=1 on its last PDU. Pure logic: the engine allocates TTTs, sends
// the R2Ts and Rejects, and executes the command once finished() holds.
//
// A broken rule fails the task (the command is not executed; the engine answers CHECK
// CONDITION from TaskFailure) but the transfer still waits for the F bit of every open
// sequence, because RFC 7143 §7.3/§11.17 lets the target end the task only once the initiator
// has stopped sending for it.
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/common/violation.hpp"
#include "core/pdu/pdu.hpp"
#include "target-impl/session/task_failure.hpp"

namespace iscsi::target::session {

struct WriteLimits {
  bool immediate_data = true;
  bool initial_r2t = true;
  std::uint32_t first_burst_length = 65536;
  std::uint32_t max_burst_length = 262144;
  std::uint32_t max_outstanding_r2t = 1;
};

struct R2tGrant {
  std::uint32_t ttt = 0;
  std::uint32_t r2t_sn = 0;
  std::uint32_t buffer_offset = 0;
  std::uint32_t desired_data_transfer_length = 0;
  bool operator==(const R2tGrant&) const = default;
};

// What the engine does about one PDU's data: report, and maybe Reject the PDU.
struct DataVerdict {
  std::vector<Violation> violations;
  std::optional<pdu::RejectReason> reject;
};

class WriteTransfer {
 public:
  // `failure` set: the task has already failed (the data is only waited for, not stored).
  WriteTransfer(std::uint32_t itt, std::uint32_t expected_data_transfer_length,
                bool unsolicited_follows, const WriteLimits& limits,
                std::optional<TaskFailure> failure = std::nullopt);

  // The SCSI Command's data segment; called once, right after construction.
  DataVerdict start(ByteView immediate_data);
  DataVerdict accept_data_out(const pdu::ScsiDataOut& header, ByteView data);
  // A Data-Out whose data was lost (data digest error, over-long segment). Its header passed
  // the header digest, so its F bit still ends its sequence.
  void lose_data_out(const pdu::ScsiDataOut& header, TaskFailure why);

  // New R2Ts, up to the outstanding limit, in increasing offset order (DataSequenceInOrder).
  std::vector<R2tGrant> grant_r2ts(const std::function<std::uint32_t()>& next_ttt);

  // Nothing more is expected from the initiator: every byte arrived, or the task failed and
  // every open sequence has ended.
  bool finished() const;
  const std::optional<TaskFailure>& failure() const { return failure_; }
  // The collected data, EDTL bytes (call once finished() without a failure).
  Bytes take_data();
  std::uint32_t r2t_count() const { return r2t_sn_; }
  std::uint32_t expected_data_transfer_length() const { return edtl_; }
  bool has_ttt(std::uint32_t ttt) const;

 private:
  struct Sequence {
    std::uint32_t ttt = pdu::kReservedTag;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    std::uint32_t next_offset = 0;
    std::uint32_t next_data_sn = 0;
    bool operator==(const Sequence&) const = default;
  };
  // Returns true when the PDU ended the sequence.
  bool sequence_data(Sequence& sequence, const pdu::ScsiDataOut& header, ByteView data,
                     DataVerdict& verdict);
  bool check_sequence(Sequence& sequence, const pdu::ScsiDataOut& header, std::size_t length,
                      DataVerdict& verdict);
  void fail(TaskFailure why);
  void store(std::uint32_t offset, ByteView data);
  Violation violation(const ViolationKind& kind, std::string detail) const;

  std::uint32_t itt_;
  std::uint32_t edtl_;
  bool unsolicited_follows_;
  WriteLimits limits_;
  std::optional<TaskFailure> failure_;
  Bytes data_;
  std::optional<Sequence> unsolicited_;  // open unsolicited Data-Out sequence
  std::vector<Sequence> solicited_;      // outstanding R2Ts
  std::uint32_t next_r2t_offset_ = 0;
  std::uint32_t r2t_sn_ = 0;
};

}  // namespace iscsi::target::session
