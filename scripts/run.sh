#!/usr/bin/env bash
# The main job: installs what is needed, builds, and runs iscsim. Arguments go to `iscsim`;
# without arguments it runs the built-in scenario suite in the simulator (`iscsim run`), with
# its reports and pcaps under ./iscsim-out.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh gcc >/dev/null
if [ $# -gt 0 ]; then
  exec build/apps/iscsim "$@"
fi
exec build/apps/iscsim run
