// libFuzzer harness for initiator-impl/iscsiadm's iscsid.conf reader. Input: the text of an
// iscsid.conf (or of a stored record). It is parsed, applied to a node and a discovery record,
// read as a node, discovery and iface record file and as initiatorname.iscsi. Invariants for
// any input: entries and warnings in line order within the line limit, keys without blanks
// or '=', values stripped and non-empty, and every record shown and read back unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "initiator-impl/iscsiadm/home.hpp"
#include "initiator-impl/iscsiadm/iscsid_conf.hpp"
#include "initiator-impl/iscsiadm/record.hpp"

namespace {

using namespace iscsi::initiator::iscsiadm;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "iscsid.conf harness invariant broken: %s\n", what);
    std::abort();
  }
}

bool blank(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

void check_conf(const ConfFile& conf) {
  std::size_t last = 0;
  for (const ConfEntry& entry : conf.entries) {
    check(entry.line > last && entry.line <= kMaxConfLines, "entry line order");
    last = entry.line;
    check(!entry.key.empty() && !entry.value.empty(), "key and value present");
    for (char c : entry.key) check(!blank(c) && c != '=', "key has no blank or '='");
    check(!blank(entry.value.front()) && !blank(entry.value.back()), "value stripped");
  }
  last = 0;
  for (const LineWarning& warning : conf.warnings) {
    check(warning.line > last && !warning.message.empty(), "warning line order");
    last = warning.line;
  }
}

void check_round_trip(const Record& record) {
  std::vector<LineWarning> warnings;
  Record again = parse_record(record.schema(), record.serialize(), &warnings);
  check(again == record, "record round trip");
  check(warnings.empty(), "our own file reads cleanly");
  std::string shown = record.show(false);
  check(shown.find("# BEGIN RECORD 2.1.8\n") == 0, "show header");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ConfFile conf = parse_conf(text);
  check_conf(conf);
  Record node = node_from_conf(conf);
  check_round_trip(node);
  Record discovery(discovery_schema());
  apply_conf(conf, discovery, nullptr);
  check_round_trip(discovery);
  for (Schema schema : {node_schema(), discovery_schema(), iface_schema()}) {
    check_round_trip(parse_record(schema, text, nullptr));
  }
  (void)parse_initiator_name(text);
  return 0;
}
