#pragma once
// Violations and errors are values (DESIGN.md, style rule 2). Every problem found in peer input
// carries a stable id (it appears in reports and scenario expectations, so it never changes
// once published) and the RFC section that the input broke.
#include <string>
#include <string_view>

namespace iscsi {

// How bad a finding is. `warning` is legal-but-odd input (e.g. non-zero pad bytes, RFC 7143
// §11.1 says SHOULD); `recoverable` lets the connection go on (e.g. a Reject is sent);
// `fatal` ends the connection (e.g. a header digest error at ERL 0, §7.8).
enum class Severity { warning, recoverable, fatal };

std::string_view to_string(Severity severity);

// A catalogue entry: the stable identity of one kind of violation.
struct ViolationKind {
  std::string_view id;           // stable, dotted: "pdu.header-digest-mismatch"
  std::string_view rfc_section;  // "RFC 7143 §13.1"
  Severity severity;
};

// One concrete finding: which kind, plus a sentence naming the PDU, the field and the value.
struct Violation {
  ViolationKind kind;
  std::string detail;

  std::string_view id() const { return kind.id; }
  Severity severity() const { return kind.severity; }
  // "pdu.header-digest-mismatch (RFC 7143 §13.1): header digest 0x... != computed 0x..."
  std::string to_string() const;
};

}  // namespace iscsi
