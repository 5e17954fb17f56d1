#!/bin/bash
# Checks DESIGN.md's dependency rules on #include lines, so a banned include fails the suite:
#   - core/ outside core/asio/ is sans-IO: no Boost.Asio, no sim/, no layer above core;
#   - target-impl/ and initiator-impl/ see only core's runtime interfaces: no sim/, no
#     core/asio/, no Boost.Asio, and neither includes the other;
#   - sim/ is one runtime, core/asio/ the other: sim/ never includes core/asio/ or a role.
# Usage: scripts/check-layering.sh [ROOT]   (default: the repository); prints every offending
# line as FILE:LINE: text and the rule, exits 1 when there is one.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
status=0

# check DIR EXCLUDE-DIR PATTERN RULE: every #include in DIR (minus EXCLUDE-DIR) matching PATTERN
# is an offence.
check() {
  local dir=$1 exclude=$2 pattern=$3 rule=$4
  [ -d "$root/$dir" ] || return 0
  local hits
  hits=$(cd "$root" && grep -rnE --include='*.hpp' --include='*.cpp' --include='*.h' \
           "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($pattern)" "$dir" |
         { if [ -n "$exclude" ]; then grep -v "^$exclude/"; else cat; fi; })
  if [ -n "$hits" ]; then
    echo "$hits" | sed "s|\$|   <- $rule|"
    status=1
  fi
}

roles='target-impl/|initiator-impl/|scenarios/|reports/|pcap/|apps/'
check core core/asio "sim/|core/asio/|boost/asio|$roles" \
  "core/ is sans-IO (DESIGN.md: the protocol core)"
check target-impl "" "sim/|core/asio/|boost/asio|initiator-impl/|scenarios/|apps/" \
  "target-impl/ sees only core's runtime interfaces"
check initiator-impl "" "sim/|core/asio/|boost/asio|target-impl/|scenarios/|apps/" \
  "initiator-impl/ sees only core's runtime interfaces"
check sim "" "core/asio/|boost/asio|target-impl/|initiator-impl/|scenarios/|apps/" \
  "sim/ is a runtime of its own"
exit $status
