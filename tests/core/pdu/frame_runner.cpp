#include "tests/core/pdu/frame_runner.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <span>

#include "core/pdu/describe.hpp"

namespace iscsi::pdu::testing {
namespace {

// Framing a stream can never yield more events than it has bytes (each PDU takes 48).
constexpr std::size_t kMaxEventsPerByte = 1;

Outcome to_outcome(FrameEvent&& event) {
  Outcome outcome;
  if (auto* decoded = std::get_if<DecodedPdu>(&event)) {
    outcome.pdu = std::move(decoded->pdu);
    for (const Violation& v : decoded->observations) outcome.observations.push_back(v.to_string());
  } else if (auto* error = std::get_if<FrameError>(&event)) {
    outcome.error = error->violation.to_string();
    outcome.fatal = error->fatal();
    outcome.error_bhs = error->bhs;
  }
  return outcome;
}

// Pulls events until NeedMore; a failed framer repeats its error, so stop after recording it.
void drain(Framer& framer, FrameRun& run, std::size_t event_limit) {
  for (std::size_t i = 0; i <= event_limit; ++i) {
    FrameEvent event = framer.next();
    if (std::holds_alternative<NeedMore>(event)) return;
    const bool repeated_failure =
        framer.failed() && !run.outcomes.empty() && run.outcomes.back().fatal;
    if (repeated_failure) return;
    run.outcomes.push_back(to_outcome(std::move(event)));
  }
  ADD_FAILURE() << "framer produced more events than the stream has bytes";
}

}  // namespace

void PrintTo(const Outcome& outcome, std::ostream* os) {
  if (outcome.pdu) {
    *os << describe(*outcome.pdu);
    for (const std::string& o : outcome.observations) *os << " [" << o << "]";
  } else {
    *os << (outcome.fatal ? "fatal " : "") << "error " << outcome.error;
  }
}

FrameRun run_framer(ByteView stream, const std::vector<std::size_t>& chunk_sizes,
                    const FramerOptions& options, bool drain_between) {
  Framer framer(options);
  FrameRun run;
  const std::size_t event_limit = stream.size() * kMaxEventsPerByte + 1;
  std::size_t offset = 0;
  std::vector<std::unique_ptr<Bytes>> alive;
  for (std::size_t i = 0; offset < stream.size(); ++i) {
    const std::size_t size = i < chunk_sizes.size()
                                 ? std::min(chunk_sizes[i], stream.size() - offset)
                                 : stream.size() - offset;
    alive.push_back(
        std::make_unique<Bytes>(stream.begin() + static_cast<std::ptrdiff_t>(offset),
                                stream.begin() + static_cast<std::ptrdiff_t>(offset + size)));
    framer.feed(*alive.back());
    offset += size;
    if (drain_between || alive.size() == 2 || offset == stream.size()) {
      drain(framer, run, event_limit);
      alive.clear();  // NeedMore: the framer must not touch these chunks any more
    }
  }
  if (stream.empty()) drain(framer, run, event_limit);
  run.clean_end = framer.check_end_of_stream().ok();
  return run;
}

FrameRun run_framer_direct(ByteView stream, const std::vector<std::size_t>& chunk_sizes,
                           const FramerOptions& options, std::size_t* in_place) {
  Framer framer(options);
  FrameRun run;
  const std::size_t event_limit = stream.size() * kMaxEventsPerByte + 1;
  std::size_t offset = 0;
  std::size_t direct_total = 0;
  for (std::size_t i = 0; offset < stream.size(); ++i) {
    std::size_t size = i < chunk_sizes.size() ? std::min(chunk_sizes[i], stream.size() - offset)
                                              : stream.size() - offset;
    const std::span<std::uint8_t> space = framer.data_space();
    const std::size_t direct = std::min(space.size(), size);
    if (direct > 0) {
      std::copy_n(stream.begin() + static_cast<std::ptrdiff_t>(offset), direct, space.begin());
      framer.commit_data(direct);
      drain(framer, run, event_limit);
      offset += direct;
      size -= direct;
      direct_total += direct;
    }
    if (size == 0) continue;
    const auto chunk = std::make_unique<Bytes>(
        stream.begin() + static_cast<std::ptrdiff_t>(offset),
        stream.begin() + static_cast<std::ptrdiff_t>(offset + size));
    framer.feed(*chunk);
    offset += size;
    drain(framer, run, event_limit);
  }
  if (stream.empty()) drain(framer, run, event_limit);
  run.clean_end = framer.check_end_of_stream().ok();
  if (in_place != nullptr) *in_place = direct_total;
  return run;
}

FrameRun run_framer_every_way(ByteView stream, const FramerOptions& options) {
  const FrameRun whole = run_framer(stream, {stream.size()}, options);
  for (std::size_t cut = 1; cut < stream.size(); ++cut) {
    const FrameRun split = run_framer(stream, {cut}, options);
    if (split != whole) {
      ADD_FAILURE() << "split at byte " << cut << " of " << stream.size() << " differs";
      EXPECT_EQ(split.outcomes, whole.outcomes);
      return whole;
    }
  }
  for (std::size_t cut = 1; cut < stream.size(); ++cut) {
    const FrameRun split = run_framer_direct(stream, {cut}, options);
    if (split != whole) {
      ADD_FAILURE() << "split at byte " << cut << " of " << stream.size()
                    << " differs with zero-copy receive";
      EXPECT_EQ(split.outcomes, whole.outcomes);
      return whole;
    }
  }
  EXPECT_EQ(run_framer(stream, std::vector<std::size_t>(stream.size(), 1), options), whole)
      << "byte by byte";
  EXPECT_EQ(run_framer_direct(stream, std::vector<std::size_t>(stream.size(), 1), options), whole)
      << "byte by byte with zero-copy receive";
  EXPECT_EQ(run_framer_direct(stream, std::vector<std::size_t>(stream.size() / 7 + 1, 7), options),
            whole)
      << "7-byte chunks with zero-copy receive";
  EXPECT_EQ(run_framer(stream, std::vector<std::size_t>(stream.size() / 7 + 1, 7), options,
                       /*drain_between=*/false),
            whole)
      << "7-byte chunks fed two at a time";
  return whole;
}

Outcome decode_outcome(ByteView whole_pdu, const DigestOptions& digests) {
  Result<DecodedPdu> decoded = decode(whole_pdu, digests);
  if (!decoded) {
    Outcome outcome;
    outcome.error = decoded.error().to_string();
    outcome.fatal = decoded.error().severity() == Severity::fatal;
    return outcome;
  }
  return to_outcome(FrameEvent{std::move(*decoded)});
}

std::vector<std::string> observation_ids(const Outcome& outcome) {
  std::vector<std::string> ids;
  for (const std::string& text : outcome.observations)
    ids.push_back(text.substr(0, text.find(' ')));
  return ids;
}

}  // namespace iscsi::pdu::testing
