#!/usr/bin/env bash
# The main job: installs what is needed, builds, and runs iscsim. Arguments go to `iscsim`;
# without arguments it shows what iscsim can do today (later: the built-in scenario suite).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh gcc >/dev/null
if [ $# -gt 0 ]; then
  exec build/apps/iscsim "$@"
fi
build/apps/iscsim --version
build/apps/iscsim --help
