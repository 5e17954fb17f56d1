#pragma once
// Test helper: runs a Framer over a byte stream cut into chunks in many ways and checks that
// every way gives the same result (DESIGN.md style rule 4, checklist C003).
#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/pdu/framer.hpp"

namespace iscsi::pdu::testing {

// One thing the framer produced: a PDU with its observations, or an error.
struct Outcome {
  std::optional<Pdu> pdu;
  std::vector<std::string> observations;  // Violation::to_string() of each observation
  std::string error;                      // Violation::to_string(); empty for a PDU
  bool fatal = false;
  Bytes error_bhs;
  bool operator==(const Outcome&) const = default;
};
void PrintTo(const Outcome& outcome, std::ostream* os);

struct FrameRun {
  std::vector<Outcome> outcomes;
  bool clean_end = false;  // check_end_of_stream() succeeded
  bool operator==(const FrameRun&) const = default;
};

// Feeds `stream` in chunks of the given sizes (the last chunk takes the rest). Each chunk is a
// fresh heap copy that is freed as soon as next() returned NeedMore, so ASan catches any read
// of a chunk after the framer said it was done with it. With `drain_between` false, two chunks
// are fed before draining (exercising the copy of unread bytes).
FrameRun run_framer(ByteView stream, const std::vector<std::size_t>& chunk_sizes,
                    const FramerOptions& options, bool drain_between = true);

// As run_framer(), but receiving as a stream with zero-copy receive does: each chunk goes first
// into Framer::data_space() while that is non-empty (written in place, then commit_data()),
// and only the rest of it through feed(). Returns how many bytes went in place in *in_place.
FrameRun run_framer_direct(ByteView stream, const std::vector<std::size_t>& chunk_sizes,
                           const FramerOptions& options, std::size_t* in_place = nullptr);

// The stream as one chunk; as two chunks split at every offset, with and without zero-copy
// receive; byte by byte; and in 7-byte
// chunks fed two at a time. EXPECTs every run to equal the first and returns it.
FrameRun run_framer_every_way(ByteView stream, const FramerOptions& options = {});

// Outcome of decode() on one whole PDU, in the same form.
Outcome decode_outcome(ByteView whole_pdu, const DigestOptions& digests = {});

// Ids of the observations of an outcome ("pdu.nonzero-pad" ...).
std::vector<std::string> observation_ids(const Outcome& outcome);

}  // namespace iscsi::pdu::testing
