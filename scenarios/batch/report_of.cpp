#include "scenarios/batch/report_of.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "core/pdu/opcode.hpp"
#include "core/runtime/address.hpp"
#include "initiator-impl/host/debug_trace.hpp"
#include "scenarios/live_address_map.hpp"

namespace iscsi::scenarios::batch {
namespace {

// The simulator's virtual clock starts at zero when the scenario's world is built; a live run's
// steady clock starts anywhere, so its times count from `origin`, the first step's start.
std::int64_t ns_since_start(runtime::TimePoint at, runtime::TimePoint origin) {
  return (at - origin).count();
}

runtime::TimePoint time_origin(const RunResult& result, bool live) {
  if (!live || result.steps.empty()) return runtime::TimePoint{};
  return result.steps.front().start;
}

bool plain_shell_word(std::string_view word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("._-/:+=,@%").find(c) != std::string_view::npos;
  });
}

std::string shell_quote(std::string_view word) {
  if (plain_shell_word(word)) return std::string(word);
  std::string quoted = "'";
  for (const char c : word) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

// The host that owns `ipv4`, or the dotted address when no host of the scenario has it. In a
// live run the addresses are loopback ones (LiveAddressMap): the live endpoint's is the target
// host's, and 127.b.c.d is the host whose a.b.c.d it stands for, so the ladder keeps the
// scenario's hosts.
std::string host_of(const Scenario& scenario, std::uint32_t ipv4,
                    std::optional<std::uint32_t> live_address) {
  if (live_address && ipv4 == *live_address) return scenario.target.host;
  for (const HostSpec& host : scenario.hosts) {
    for (const std::uint32_t own : host.ipv4) {
      if (own == ipv4 || (live_address && LiveAddressMap::loopback_of(own) == ipv4)) {
        return host.name;
      }
    }
  }
  return fmt::format("{}.{}.{}.{}", ipv4 >> 24, (ipv4 >> 16) & 0xff, (ipv4 >> 8) & 0xff,
                     ipv4 & 0xff);
}

reports::PduEntry pdu_entry(const PduRecord& record, const Scenario& scenario,
                            runtime::TimePoint origin, std::optional<std::uint32_t> live_address) {
  reports::PduEntry entry;
  entry.at_ns = ns_since_start(record.at, origin);
  const std::string initiator = host_of(scenario, record.connection.initiator.ipv4, live_address);
  const std::string target = host_of(scenario, record.connection.target.ipv4, live_address);
  const bool outbound = record.direction == runtime::Direction::initiator_to_target;
  entry.from = outbound ? initiator : target;
  entry.to = outbound ? target : initiator;
  entry.connection =
      record.connection.initiator.to_string() + " -> " + record.connection.target.to_string();
  entry.opcode = record.wire.empty() ? "empty"
                                     : std::string(pdu::to_string(static_cast<pdu::Opcode>(
                                           record.wire[0] & pdu::kOpcodeMask)));
  entry.summary = initiator::host::describe_wire_pdu(record.wire);
  entry.bytes = record.wire.size();
  return entry;
}

bool is_login_response(const PduRecord& record) {
  return !record.wire.empty() && (record.wire[0] & pdu::kOpcodeMask) ==
                                     static_cast<std::uint8_t>(pdu::Opcode::login_response);
}

// The last Login Response of the step when it is about a login, else its last PDU.
std::optional<std::size_t> deciding_pdu(const RunResult& result, const StepResult& step,
                                        bool about_login) {
  const std::size_t end = std::min({step.end_pdu, result.pdus.size(), kMaxReportPdus});
  if (step.first_pdu >= end) return std::nullopt;
  if (about_login) {
    for (std::size_t i = end; i > step.first_pdu; --i) {
      if (is_login_response(result.pdus[i - 1])) return i - 1;
    }
  }
  return end - 1;
}

const Step* step_of(const Scenario& scenario, std::size_t index) {
  for (const Step& step : scenario.steps) {
    if (step.index == index) return &step;
  }
  return nullptr;
}

reports::StepReport step_report(const RunResult& result, const StepResult& step,
                                const Scenario& scenario, std::string_view file,
                                runtime::TimePoint origin) {
  reports::StepReport report;
  report.index = step.index;
  report.label = step.label;
  report.kind = step.kind;
  report.passed = step.passed;
  report.skipped = step.skipped;
  report.note = step.note;
  report.failures = step.failures;
  report.exit_code = step.output.exit_code;
  report.out = step.output.out;
  report.err = step.output.err;
  report.login_status = step.output.login_status;
  report.violations = step.output.violations;
  report.start_ns = ns_since_start(step.start, origin);
  report.end_ns = ns_since_start(step.end, origin);
  report.first_pdu = std::min(step.first_pdu, kMaxReportPdus);
  report.end_pdu = std::min(step.end_pdu, kMaxReportPdus);
  bool about_login = step.output.login_status.has_value();
  if (const Step* source = step_of(scenario, step.index)) {
    report.source = fmt::format("{}:{}:{}", file, source->at.line, source->at.column);
    about_login = about_login || expectation_for(*source, result.profile).login_status;
  }
  report.deciding_pdu = deciding_pdu(result, step, about_login);
  return report;
}

}  // namespace

std::string pcap_path(std::string_view scenario_name, std::uint64_t seed, Profile profile) {
  std::string name(scenario_name);
  for (char& c : name) {
    const bool kept =
        std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
    if (!kept) c = '_';
  }
  return fmt::format("pcap/{}-seed{}-{}.pcap", name, seed, to_string(profile));
}

std::string target_url(const LiveTarget& live) {
  return fmt::format("iscsi://{}:{}", live.host, live.port);
}

std::string reproduce_command(std::string_view file, std::uint64_t seed, Profile profile,
                              const std::optional<LiveTarget>& live) {
  std::string command = fmt::format("iscsim run {} --seed {} --profile {}", shell_quote(file), seed,
                                    to_string(profile));
  if (!live) return command;
  command += " --target " + shell_quote(target_url(*live));
  if (!live->admin_command.empty())
    command += " --target-admin " + shell_quote(live->admin_command);
  return command;
}

reports::ScenarioReport report_of(const RunResult& result, const Scenario& scenario,
                                  std::string_view file, const std::optional<LiveTarget>& live) {
  const runtime::TimePoint origin = time_origin(result, live.has_value());
  reports::ScenarioReport report;
  report.name = result.scenario;
  report.file = std::string(file);
  report.seed = result.seed;
  report.profile = std::string(to_string(result.profile));
  report.passed = result.passed;
  report.setup_error = result.setup_error;
  if (live) report.target = target_url(*live);
  report.notes = result.notes;
  for (const HostSpec& host : scenario.hosts) report.hosts.push_back(host.name);
  const std::size_t kept = std::min(result.pdus.size(), kMaxReportPdus);
  report.pdus.reserve(kept);
  const std::optional<std::uint32_t> live_address =
      live ? runtime::parse_ipv4(live->host) : std::nullopt;
  for (std::size_t i = 0; i < kept; ++i) {
    report.pdus.push_back(pdu_entry(result.pdus[i], scenario, origin, live_address));
  }
  report.pdus_dropped = result.pdus.size() - kept;
  for (const StepResult& step : result.steps) {
    report.steps.push_back(step_report(result, step, scenario, file, origin));
    report.duration_ns = std::max(report.duration_ns, ns_since_start(step.end, origin));
  }
  if (!result.pcap.empty()) report.pcap = pcap_path(result.scenario, result.seed, result.profile);
  report.reproduce = reproduce_command(file, result.seed, result.profile, live);
  return report;
}

}  // namespace iscsi::scenarios::batch
