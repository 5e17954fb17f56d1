#pragma once
// Between the runs of `iscsim run --target` (docs/running.md, "Against a live target"): the
// live target is one shared endpoint, and a scenario (its target block and its tgtadm steps)
// creates targets and accounts that the next scenario (or the same one under another profile)
// creates again. After a live run with an admin command, the lines that undo them go to the
// same command.
#include <string>
#include <vector>

#include "reports/model.hpp"
#include "scenarios/model.hpp"
#include "scenarios/runner.hpp"

namespace iscsi::scenarios::batch {

// The tgtadm lines that undo what the target block and the tgtadm steps created: "tgtadm --lld
// iscsi --mode target --op delete --force --tid N" for each `--mode target --op new --tid N`,
// newest first, then "tgtadm --lld iscsi --mode account --op delete --user U" for each
// `--mode account --op new --user U`, newest first. Empty when nothing was created.
std::vector<std::string> teardown_lines(const Scenario& scenario);

// Hands each of teardown_lines(scenario) to live.admin_command on its own; a failure other than
// "can't find" (a step deleted it already) becomes a note of `report` ("teardown: ..."), since
// the next run would otherwise fail without saying why.
void tear_down_live_target(const Scenario& scenario, const LiveTarget& live,
                           reports::ScenarioReport& report);

}  // namespace iscsi::scenarios::batch
