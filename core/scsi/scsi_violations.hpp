#pragma once
// The catalogue of SCSI-level violations found while decoding a peer's CDB or sense data. The
// ids are stable: they appear in reports and scenario expectations.
#include "core/common/violation.hpp"

namespace iscsi::scsi {

inline constexpr ViolationKind kCdbMalformed{"scsi.cdb-malformed", "SPC-4 §4.2",
                                             Severity::recoverable};
inline constexpr ViolationKind kSenseMalformed{"scsi.sense-malformed", "SPC-4 §4.5",
                                               Severity::recoverable};

}  // namespace iscsi::scsi
