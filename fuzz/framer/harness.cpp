// libFuzzer harness for the PDU framer and codec. The stream is framed twice, in chunks chosen
// by the input and in one piece; both runs must agree (C003). Every decoded PDU is re-encoded
// and decoded again and must come back identical and clean. Any disagreement is a real bug, so
// the harness aborts on it.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/pdu/codec.hpp"
#include "core/pdu/describe.hpp"
#include "core/pdu/framer.hpp"
#include "fuzz/framer/input_format.hpp"

namespace iscsi::fuzz_framer {
namespace {

// What one framer event was, in comparable form.
struct Event {
  std::string text;  // describe(pdu) plus observations, or the error
  pdu::Pdu pdu;
  bool operator==(const Event&) const = default;
};

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "framer fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

void check_round_trip(const pdu::Pdu& decoded, const pdu::DigestOptions& digests) {
  if (!pdu::check_encodable(decoded).ok())
    fail("decoded PDU not encodable", pdu::describe(decoded));
  const Bytes bytes = pdu::encode(decoded, digests);
  if (bytes.size() != pdu::encoded_length(decoded, digests)) fail("length", pdu::describe(decoded));
  Result<pdu::DecodedPdu> again = pdu::decode(bytes, digests);
  if (!again) fail("re-decode failed", again.error().to_string());
  if (!(again->pdu == decoded)) fail("round trip differs", pdu::describe(decoded));
  // Our encoder zeroes reserved fields and pads and sets always-one bits, so only findings
  // about the content itself (an unknown AHS type, a data segment where none belongs) remain.
  for (const Violation& v : again->observations) {
    if (v.id() != "pdu.unknown-ahs-type" && v.id() != "pdu.ahs-unexpected-length" &&
        v.id() != "pdu.unexpected-data-segment") {
      fail("encoder output has observations", v.to_string());
    }
  }
}

Event to_event(pdu::FrameEvent& event, const pdu::DigestOptions& digests) {
  if (auto* decoded = std::get_if<pdu::DecodedPdu>(&event)) {
    check_round_trip(decoded->pdu, digests);
    std::string text = pdu::describe(decoded->pdu);
    for (const Violation& v : decoded->observations) text += " | " + v.to_string();
    return {std::move(text), std::move(decoded->pdu)};
  }
  const auto& error = std::get<pdu::FrameError>(event);
  return {"error " + error.violation.to_string() + (error.fatal() ? " fatal" : ""), {}};
}

// Frames `stream` in chunks of `chunk`, `chunk + 1`, ... (0: one chunk).
std::vector<Event> run(const Config& config, ByteView stream, std::size_t chunk) {
  pdu::Framer framer(
      {.digests = config.digests_after_events ? pdu::DigestOptions{} : config.digests,
       .max_data_segment_length = config.max_data_segment_length()});
  std::vector<Event> events;
  std::size_t offset = 0;
  while (offset < stream.size()) {
    const std::size_t size = chunk == 0 ? stream.size() : std::min(chunk++, stream.size() - offset);
    framer.feed(stream.subspan(offset, size));
    offset += size;
    for (;;) {
      const pdu::DigestOptions digests = framer.options().digests;
      pdu::FrameEvent event = framer.next();
      if (std::holds_alternative<pdu::NeedMore>(event)) break;
      events.push_back(to_event(event, digests));
      if (framer.failed()) return events;
      if (config.digests_after_events && events.size() == config.switch_after) {
        framer.set_digests(config.digests);
      }
    }
  }
  events.push_back({framer.check_end_of_stream().ok() ? "end" : "truncated end", {}});
  return events;
}

}  // namespace
}  // namespace iscsi::fuzz_framer

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace iscsi::fuzz_framer;
  if (size < kConfigBytes) return 0;
  const Config config = parse_config(data);
  const iscsi::ByteView stream(data + kConfigBytes, size - kConfigBytes);
  const std::vector<Event> chunked = run(config, stream, config.chunk);
  const std::vector<Event> whole = run(config, stream, 0);
  if (chunked != whole) {
    const std::size_t n = std::min(chunked.size(), whole.size());
    std::size_t i = 0;
    while (i < n && chunked[i] == whole[i]) ++i;
    fail("chunked and whole runs differ", "event " + std::to_string(i) + ": " +
                                              (i < chunked.size() ? chunked[i].text : "-") +
                                              " vs " + (i < whole.size() ? whole[i].text : "-"));
  }
  return 0;
}
