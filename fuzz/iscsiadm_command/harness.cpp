// libFuzzer harness for initiator-impl/iscsiadm's command line. Input: one argument per line
// (at most kMaxArgs). The arguments are parsed as iscsiadm 2.1.8 parses them; a command that
// runs is executed (the parts that need no protocol) against an in-memory home holding two
// node records and an iface; a discovery-mode command is planned and, when it would run a
// SendTargets discovery, answered with a fixed target and one named by its first -v. Invariants for any input: iscsiadm's exit codes only, an error line
// exactly when a command fails, no store path that could leave $ISCSIM_HOME, and records
// that read back as they were written.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "initiator-impl/iscsiadm/command.hpp"
#include "initiator-impl/iscsiadm/discovery_ops.hpp"
#include "initiator-impl/iscsiadm/iface_ops.hpp"
#include "initiator-impl/iscsiadm/node_db.hpp"
#include "initiator-impl/iscsiadm/node_ops.hpp"

namespace {

using namespace iscsi::initiator::iscsiadm;

constexpr std::size_t kMaxArgs = 64;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "iscsiadm harness invariant broken: %s\n", what);
    std::abort();
  }
}

void check_report(const Report& report) {
  static const std::set<int> codes{0, 6, 7, 15, 21};
  check(codes.count(report.exit_code) == 1, "exit code");
  check(report.exit_code == 0 || !report.err.empty(), "a failure says why");
}

void check_store(const MemoryFileStore& files, NodeDb& db) {
  for (const auto& [path, content] : files.files()) {
    check(is_safe_relative_path(path), "store path stays inside the root");
  }
  for (const StoredNode& node : db.all()) {
    auto path = node_path(node.record);
    check(path && *path == node.path, "a record lives at its own path");
    check(parse_record(node_schema(), node.record.serialize(), nullptr) == node.record,
          "record round trip");
  }
}

void seed(NodeDb& db, const ConfFile& conf) {
  SendTargetsInput input;
  input.discovery_address = "127.0.0.1";
  input.portals = {{"iqn.2001-04.com.example:disk1", "127.0.0.1", 3260, 1},
                   {"iqn.2001-04.com.example:disk2", "127.0.0.2", 3261, 2}};
  (void)apply_sendtargets(db, conf, input, nullptr);
  db.files().write("ifaces/lo2", "iface.iscsi_ifacename = lo2\niface.ipaddress = 127.0.0.2\n");
}

void execute(const Request& request, NodeDb& db, const ConfFile& conf) {
  switch (request.mode) {
    case Mode::node:
      if (is_record_operation(request)) {
        check_report(run_node_records(db, conf, request, nullptr));
      } else {
        Selection selection = select_for_login(db, request);
        check(selection.nodes.empty() == (selection.report.exit_code == 21), "selection");
      }
      break;
    case Mode::iface: check_report(run_iface(db, request, nullptr)); break;
    case Mode::discovery:
    case Mode::discoverydb: {
      DiscoveryPlan plan = plan_discovery(db, conf, request);
      if (!plan.sendtargets) {
        check(plan.report.exit_code == 0 || plan.report.exit_code == 7 ||
                  plan.report.exit_code == 6 || plan.report.exit_code == 21 ||
                  plan.report.exit_code == 27,
              "discovery exit code");
        break;
      }
      SendTargetsInput input;
      input.discovery_address = plan.sendtargets->get(keys::st_address);
      input.discovery_port = plan.sendtargets->get_int(keys::st_port);
      // The "answer": a fixed target, plus one named by the first -v (discovery mode has no
      // -T), so hostile target names reach the node database.
      int tpgt = request.portal ? request.portal->tpgt : 1;
      input.portals.push_back({"iqn.2001-04.com.example:fuzz", input.discovery_address,
                               input.discovery_port, tpgt});
      if (!request.params.empty()) {
        input.portals.push_back({request.params.front().second, input.discovery_address,
                                 input.discovery_port, tpgt});
      }
      check_report(apply_sendtargets(db, conf, input, nullptr));
      break;
    }
    case Mode::session:
    case Mode::fw:
    case Mode::host: break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> args;
  std::size_t pos = 0;
  while (pos < text.size() && args.size() < kMaxArgs) {
    std::size_t end = text.find('\n', pos);
    args.emplace_back(text.substr(pos, end == text.npos ? text.npos : end - pos));
    pos = end == text.npos ? text.size() : end + 1;
  }
  ParsedCommand parsed = parse_command(args);
  check(parsed.run || parsed.exit_code == 0 || parsed.exit_code == 7, "parser exit code");
  check(parsed.run || parsed.exit_code == 0 || !(parsed.err.empty() && parsed.out.empty()),
        "a refusal says why");
  if (!parsed.run) return 0;

  MemoryFileStore files;
  NodeDb db(files);
  ConfFile conf = parse_conf("node.session.auth.authmethod = CHAP\n");
  seed(db, conf);
  execute(parsed.request, db, conf);
  check_store(files, db);
  return 0;
}
