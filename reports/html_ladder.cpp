// The PDU ladder of report.html (reports/html_parts.hpp): hosts as columns, time flowing down,
// one arrow per PDU in recorded order (rows are evenly spaced; the time is written beside each
// arrow), and each step's PDUs as a shaded band. Bounded by kMaxLadderPdus and kMaxLadderHosts,
// so a login storm of 100 initiators stays a page a browser opens.
#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reports/html_parts.hpp"
#include "reports/wording.hpp"
#include "reports/writers.hpp"

namespace iscsi::reports {
namespace {

constexpr std::size_t kLadderLeft = 100;  // the time column
constexpr std::size_t kLaneWidth = 170;
constexpr std::size_t kLadderTop = 40;  // host names
constexpr std::size_t kRowHeight = 24;
constexpr std::size_t kLadderBottom = 36;  // the closing note
constexpr std::size_t kSelfLoop = 30;

// The ladder's columns: the scenario's hosts, then any other host a PDU names, up to the limit.
struct LadderLanes {
  std::vector<std::string> names;
  std::map<std::string, std::size_t, std::less<>> column;

  void add(const std::string& name) {
    if (names.size() < kMaxLadderHosts && column.emplace(name, names.size()).second) {
      names.push_back(name);
    }
  }
  std::optional<std::size_t> x_of(const std::string& name) const {
    const auto found = column.find(name);
    if (found == column.end()) return std::nullopt;
    return kLadderLeft + found->second * kLaneWidth + kLaneWidth / 2;
  }
};

LadderLanes ladder_lanes(const ScenarioReport& scenario, std::size_t shown) {
  LadderLanes lanes;
  for (const std::string& host : scenario.hosts) lanes.add(host);
  for (std::size_t i = 0; i < shown; ++i) {
    lanes.add(scenario.pdus[i].from);
    lanes.add(scenario.pdus[i].to);
  }
  return lanes;
}

std::size_t row_y(std::size_t row) { return kLadderTop + row * kRowHeight; }

void append_step_bands(std::string& out, const ScenarioReport& scenario, std::size_t shown,
                       std::size_t width) {
  for (std::size_t i = 0; i < scenario.steps.size(); ++i) {
    const StepReport& step = scenario.steps[i];
    const std::size_t first = std::min(step.first_pdu, shown);
    const std::size_t end = std::min(std::max(step.end_pdu, first), shown);
    if (first == end) continue;
    const char* shade = !step.passed ? "band-fail" : (i % 2 == 0 ? "band-pass" : "band-alt");
    out += fmt::format(
        "<g><title>{}</title><rect class=\"{}\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\"/>"
        "<text class=\"note\" x=\"{}\" y=\"{}\" text-anchor=\"end\">step {}</text></g>\n",
        html_text(step_title(step)), shade, row_y(first), width, (end - first) * kRowHeight,
        width - 4, row_y(first) + 12, step.index);
  }
}

void append_lifelines(std::string& out, const LadderLanes& lanes, std::size_t bottom) {
  for (const std::string& name : lanes.names) {
    const std::size_t x = *lanes.x_of(name);
    out += fmt::format(
        "<text class=\"host\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>"
        "<line class=\"lifeline\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n",
        x, kLadderTop - 14, html_text(name), x, kLadderTop - 8, x, bottom);
  }
}

// One PDU: the arrow from sender to receiver, "#k Opcode" above it, the time at the left and
// the summary as the tooltip.
void append_pdu_arrow(std::string& out, const LadderLanes& lanes, const PduEntry& pdu,
                      std::size_t index, std::size_t marker) {
  const std::size_t y = row_y(index) + kRowHeight / 2 + 4;
  const std::string label = html_text(fmt::format("#{} {}", index + 1, pdu.opcode));
  out += fmt::format(
      "<g><title>{}</title><text x=\"4\" y=\"{}\">{}s</text>",
      html_text(fmt::format("{} ({}, {} bytes)", pdu.summary, pdu.connection, pdu.bytes)), y,
      format_seconds(pdu.at_ns));
  const std::optional<std::size_t> from = lanes.x_of(pdu.from);
  const std::optional<std::size_t> to = lanes.x_of(pdu.to);
  if (!from || !to) {
    out += fmt::format("<text class=\"note\" x=\"{}\" y=\"{}\">{} (host not drawn)</text></g>\n",
                       kLadderLeft, y, label);
  } else if (*from == *to) {
    out += fmt::format(
        "<polyline class=\"arrow\" points=\"{},{} {},{} {},{} {},{}\" "
        "marker-end=\"url(#arrow-{})\"/>"
        "<text x=\"{}\" y=\"{}\">{}</text></g>\n",
        *from, y - 6, *from + kSelfLoop, y - 6, *from + kSelfLoop, y, *from + 2, y, marker,
        *from + kSelfLoop + 4, y, label);
  } else {
    out += fmt::format(
        "<line class=\"arrow\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" "
        "marker-end=\"url(#arrow-{})\"/>"
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>\n",
        *from, y, *to, y, marker, (*from + *to) / 2, y - 4, label);
  }
}

std::string ladder_note(const ScenarioReport& scenario, std::size_t shown) {
  if (scenario.pdus.empty() && scenario.pdus_dropped == 0) return "no PDUs recorded";
  const std::uint64_t not_drawn = scenario.pdus.size() - shown;
  const std::uint64_t more = scenario.pdus_dropped > UINT64_MAX - not_drawn
                                 ? UINT64_MAX
                                 : not_drawn + scenario.pdus_dropped;
  if (more == 0) return fmt::format("{} PDUs", shown);
  return fmt::format("{} more PDUs in the pcap", more);
}

}  // namespace

void append_ladder_svg(std::string& out, const ScenarioReport& scenario, std::size_t index) {
  const std::size_t shown = std::min(scenario.pdus.size(), kMaxLadderPdus);
  const LadderLanes lanes = ladder_lanes(scenario, shown);
  const std::size_t width =
      kLadderLeft + std::max<std::size_t>(lanes.names.size(), 1) * kLaneWidth + kSelfLoop + 100;
  const std::size_t bottom = row_y(shown);
  const std::size_t height = bottom + kLadderBottom;
  const std::size_t marker = index + 1;
  out += fmt::format(
      "<svg class=\"ladder\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\">\n"
      "<defs><marker id=\"arrow-{2}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
      "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path class=\"arrowhead\" "
      "d=\"M0,0 L10,5 L0,10 z\"/></marker></defs>\n",
      width, height, marker);
  append_step_bands(out, scenario, shown, width);
  append_lifelines(out, lanes, bottom);
  for (std::size_t i = 0; i < shown; ++i) {
    append_pdu_arrow(out, lanes, scenario.pdus[i], i, marker);
  }
  out += fmt::format("<text class=\"note\" x=\"4\" y=\"{}\">{}</text>\n</svg>\n", bottom + 24,
                     html_text(ladder_note(scenario, shown)));
}

}  // namespace iscsi::reports
