#!/usr/bin/env bash
# Makes sure the Debian 12 packages vigil needs are installed: as root it installs the
# missing ones with apt-get; otherwise it names them and fails.
# Usage: scripts/deps.sh build|test
set -euo pipefail

# Build: compiler, CMake, pkg-config and the libraries found with pkg-config.
BUILD_PKGS=(gcc make cmake pkg-config libncurses-dev libmicrohttpd-dev libinih-dev)
# Tests: Check (unit suites), clang (second compiler, sanitizers), tools the integration
# tests drive: python3 (JSON checks), tmux (UI), iproute2 (network namespaces), procps,
# util-linux (setpriv), prometheus (promtool and a real server), curl, htop (benchmark).
TEST_PKGS=(check libsubunit-dev clang python3 tmux iproute2 procps util-linux prometheus curl
           htop)

want=("${BUILD_PKGS[@]}")
if [ "${1:-build}" = test ]; then
    want+=("${TEST_PKGS[@]}")
fi

missing=()
for p in "${want[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed'; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "vigil: missing Debian packages: ${missing[*]}" >&2
    echo "vigil: install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
echo "Installing missing packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
