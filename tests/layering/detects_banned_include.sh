#!/bin/bash
# The layering check must fail on a banned include and pass on an allowed one (so that the
# repository check in CTest can fail at all).
set -u
checker=$1
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/core/pdu" "$tree/core/asio" "$tree/target-impl/login" "$tree/initiator-impl/x"
echo '#include "core/runtime/stream.hpp"' > "$tree/target-impl/login/fine.cpp"
echo '#include <boost/asio.hpp>' > "$tree/core/asio/fine.cpp"
bash "$checker" "$tree" || { echo "an allowed tree was refused"; exit 1; }
echo '  #include "sim/simulator.hpp"' > "$tree/target-impl/login/bad.cpp"
echo '#include <boost/asio/io_context.hpp>' > "$tree/core/pdu/bad.hpp"
echo '#include "target-impl/login/login_engine.hpp"' > "$tree/initiator-impl/x/bad.cpp"
output=$(bash "$checker" "$tree")
status=$?
echo "$output"
[ "$status" = 1 ] || { echo "banned includes were not refused"; exit 1; }
for file in target-impl/login/bad.cpp core/pdu/bad.hpp initiator-impl/x/bad.cpp; do
  echo "$output" | grep -q "^$file:1:" || { echo "missing: $file"; exit 1; }
done
echo "$output" | grep -q "fine.cpp" && { echo "an allowed include was reported"; exit 1; }
exit 0
