#!/usr/bin/env bash
# Builds vigil (installing build dependencies first when run as root) and runs it with
# the given arguments: scripts/run.sh [VIGIL OPTIONS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh" build
cmake -S "$root" -B "$root/build/release" -DCMAKE_BUILD_TYPE=Release -DVIGIL_TESTS=OFF >/dev/null
cmake --build "$root/build/release" -j"$(nproc)" >/dev/null
exec "$root/build/release/vigil" "$@"
