#!/usr/bin/env bash
# Installs every Debian package iscsim needs to build, test, fuzz and benchmark.
# Idempotent: does nothing (and never runs apt-get) when all packages are present.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build g++ clang-14 libclang-rt-14-dev lld-14
  # libraries (README.md says why each is used)
  libboost-dev libpcap-dev libyaml-cpp-dev libssl-dev libcli11-dev nlohmann-json3-dev
  libfmt-dev libgtest-dev libgmock-dev googletest libbenchmark-dev
  # third-party peers and decoders used by the tests
  tshark wireshark-common tgt libiscsi-bin
  # tools the scripts use
  openssl iproute2 procps
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# wireshark-common asks whether non-root users may capture; answer it up front.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
