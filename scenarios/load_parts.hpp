#pragma once
// Internal to the loader: one function per section of a scenario file. Each reads its YAML
// node into the Scenario under construction, whose earlier sections (hosts first) are already
// loaded, and throws detail::LoadFailure on the first error.
#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

#include "scenarios/model.hpp"

namespace iscsi::scenarios::detail {

// The document's lines, to place the lines of a `tgtadm: |` block.
struct Document {
  std::vector<std::string_view> lines;
};

void load_hosts(const YAML::Node& node, Scenario& scenario);
void load_links(const YAML::Node& node, Scenario& scenario);
void load_target(const YAML::Node& node, const Document& document, Scenario& scenario);
void load_initiator(const YAML::Node& node, std::string_view what, Scenario& scenario);
void load_steps(const YAML::Node& node, Scenario& scenario);
// Checks that run after every section is loaded (LUN sizes, host roles).
void check_references(const YAML::Node& root, Scenario& scenario);

IoStep load_io(const YAML::Node& node, const Scenario& scenario, std::string_view what);
RawPduStep load_raw_pdu(const YAML::Node& node, std::string_view what);
FaultStep load_fault(const YAML::Node& node, const Scenario& scenario, std::string_view what);

// Which expectation keys a step of this action accepts.
enum class ExpectScope : std::uint8_t { command, io, pdu, other };
Expect load_expect(const YAML::Node& node, ExpectScope scope, std::string_view what);

// The host called `name` (read from `node`), or an error listing the declared hosts.
const HostSpec& known_host(const YAML::Node& node, const Scenario& scenario, std::string_view what);
// A name usable in file names and reports: letters, digits, '.', '_', '-'.
std::string identifier(const YAML::Node& node, std::string_view what);

}  // namespace iscsi::scenarios::detail
