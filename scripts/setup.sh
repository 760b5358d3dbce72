#!/usr/bin/env bash
# Installs what building and testing ferry needs on Debian 12, skipping what is already there.
# Every dependency is a Debian package; the build downloads nothing else.
# Arguments name extra packages to install the same way (bench/messages.sh passes its bench-only ones).
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config python3
  libboost-dev libtomlplusplus-dev libspdlog-dev libfmt-dev libcli11-dev catch2
  libssl-dev openssl libsqlite3-dev libxxhash-dev
  clang libclang-rt-14-dev llvm
  systemd man-db
  prometheus  # promtool, which checks the admin endpoint's /metrics in tests/cli/test_admin_api.py
  "$@"
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}"
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
