// libFuzzer harness for reports/ readers. Input: a report.json or a timings.json (both readers
// see every input). Invariants for any input: report_from_json() and timings_from_json()
// return (no exception, no crash, no hang); a refusal is one line naming the file, of the
// reader's violation kind; a report that reads writes back to text that reads to the same
// report and the same text; every writer takes any report that reads, and junit.xml carries
// no character XML 1.0 forbids.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "reports/writers.hpp"

namespace {

using namespace iscsi::reports;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "report harness invariant broken: %s\n", what);
    std::abort();
  }
}

void check_refusal(const iscsi::Violation& error, std::string_view id) {
  check(error.id() == id, "refusals are of the reader's kind");
  check(error.detail.rfind("fuzz.json: ", 0) == 0, "a refusal names the file");
  check(error.detail.find('\n') == std::string::npos, "a refusal is one line");
}

// XML 1.0 §2.2: no C0 control but tab, LF and CR, even escaped.
bool xml_controls_free(const std::string& xml) {
  for (const char c : xml) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') return false;
  }
  return true;
}

void check_report(std::string_view text) {
  iscsi::Result<RunReport> read = report_from_json(text, "fuzz.json");
  if (!read) return check_refusal(read.error(), "report.json-invalid");
  const std::string json = to_json(*read);
  iscsi::Result<RunReport> again = report_from_json(json, "fuzz.json");
  check(again.ok(), "what the writer wrote reads");
  check(*again == *read, "a report survives writing and reading");
  check(to_json(*again) == json, "writing is stable");
  check(xml_controls_free(to_junit_xml(*read)), "junit.xml has no forbidden characters");
  check(!to_html(*read).empty(), "the page is written");
  check(!console_summary(*read).empty(), "the summary is written");
  iscsi::Result<RunReport> doubled = merge({*read, *read}, {"a", "b"});
  check(doubled.ok() == read->scenarios.empty(), "merging a report with itself is refused");
}

void check_timings(std::string_view text) {
  iscsi::Result<Timings> read = timings_from_json(text, "fuzz.json");
  if (!read) return check_refusal(read.error(), "timings.json-invalid");
  const std::string json = to_json(*read);
  iscsi::Result<Timings> again = timings_from_json(json, "fuzz.json");
  check(again.ok(), "what the writer wrote reads");
  check(*again == *read, "timings survive writing and reading");
  check(to_json(*again) == json, "writing is stable");
  check(merge(std::vector<Timings>{*read}).scenarios.size() == read->scenarios.size(),
        "merging keeps every entry");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_report(text);
  check_timings(text);
  return 0;
}
