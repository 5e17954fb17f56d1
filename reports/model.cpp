// RunReport's counts and the one order every writer emits (docs/reports.md, Determinism).
#include "reports/model.hpp"

#include <algorithm>
#include <tuple>

namespace iscsi::reports {

std::size_t RunReport::passed_count() const {
  return static_cast<std::size_t>(std::count_if(scenarios.begin(), scenarios.end(),
                                                [](const ScenarioReport& s) { return s.passed; }));
}

std::size_t RunReport::failed_count() const { return scenarios.size() - passed_count(); }

void sort_scenarios(RunReport& report) {
  // A stable sort: should two entries share a key (merge refuses that, a caller might not),
  // they keep the order they were given in rather than an order the library happens to pick.
  std::stable_sort(report.scenarios.begin(), report.scenarios.end(),
                   [](const ScenarioReport& a, const ScenarioReport& b) {
                     return std::tie(a.name, a.seed, a.profile) <
                            std::tie(b.name, b.seed, b.profile);
                   });
}

}  // namespace iscsi::reports
