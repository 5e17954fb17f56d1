#pragma once
// How the full feature phase answers where tgt 1.0.85 departs from RFC 7143 (DESIGN.md "Quirk
// profiles"). Like login::LoginQuirks these are data: the engine reads the flags, and the
// server fills them from the profile. The defaults are the RFC's behaviour.
namespace iscsi::target::session {

struct SessionQuirks {
  // tgt 1.0.85 builds the SCSI Response on a zeroed header and never sets ExpDataSN
  // (usr/iscsi/iscsid.c iscsi_cmd_rsp_build), so after a write that took R2Ts it says 0 where
  // RFC 7143 §11.4.8 counts the R2Ts (C150). Reads collapse their status into the last
  // Data-In, so only writes and failed reads show it.
  bool response_exp_data_sn_zero = false;
  // tgt 1.0.85 sends a read as one Data-In sequence, F=1 on its last PDU only
  // (iscsi_data_rsp_build), however far past MaxBurstLength it goes; RFC 7143 §13.14 bounds
  // every Data-In sequence by MaxBurstLength.
  bool data_in_single_sequence = false;
};

}  // namespace iscsi::target::session
