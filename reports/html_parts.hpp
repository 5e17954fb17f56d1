#pragma once
// The parts of report.html (internal to reports/): html_writer.cpp builds the page and its
// summary, html_steps.cpp each scenario's step table, html_ladder.cpp its PDU ladder as inline
// SVG. Every piece of report text goes through html_text/html_attr.
#include <cstddef>
#include <string>
#include <string_view>

#include "reports/escape.hpp"
#include "reports/model.hpp"

namespace iscsi::reports {

inline std::string html_text(std::string_view text) {
  return escape_markup(text, MarkupContext::text);
}
inline std::string html_attr(std::string_view text) {
  return escape_markup(text, MarkupContext::attribute);
}

// The id of the section of the scenario at `index` (0-based) in RunReport::scenarios: ids
// made from numbers need no escaping, whatever a scenario is called.
std::string scenario_anchor(std::size_t index);

// A path relative to --out, percent-encoded for an href; empty when the path is not a plain
// relative path (absolute, with a scheme, "..", backslashes), which the page then shows as
// text only: the page never links outside the output directory.
std::string relative_href(std::string_view path);

// The step table of one scenario: verdicts, failure sentences, the deciding PDU, violations,
// and each step's output in a collapsed <details>.
void append_steps_table(std::string& out, const ScenarioReport& scenario);

// The PDU ladder of one scenario as one inline <svg>: a lifeline per host, an arrow per PDU
// (at most kMaxLadderPdus), steps as bands; `index` keeps the SVG's ids unique on the page.
void append_ladder_svg(std::string& out, const ScenarioReport& scenario, std::size_t index);

}  // namespace iscsi::reports
