#!/usr/bin/env bash
# Builds and runs every test: installs test dependencies first when run as root, then
# builds with gcc (-Werror) and runs the whole suite, builds with clang under
# AddressSanitizer + UBSan and runs the whole suite again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh" test
jobs=$(nproc)
status=0

run_suite() { # name, cmake args...
    local name=$1
    shift
    local dir="$root/build/test-$name"
    echo "=== $name: configure and build"
    cmake -S "$root" -B "$dir" -DVIGIL_WERROR=ON "$@" >/dev/null
    cmake --build "$dir" -j"$jobs" >/dev/null 2>"$dir.build.log" || {
        cat "$dir.build.log" >&2
        return 1
    }
    echo "=== $name: tests"
    (cd "$dir" && ctest --output-on-failure -j"$jobs" --timeout 300)
}

# gcc at the shipped optimisation level (its warnings differ from -O0), clang unoptimised
# under the sanitizers.
CC=gcc run_suite gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo || status=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
CC=clang run_suite clang-asan-ubsan -DCMAKE_BUILD_TYPE=Debug -DVIGIL_SANITIZE=ON || status=1

if [ $status -eq 0 ]; then
    echo "All test suites passed (gcc; clang with ASan+UBSan)."
else
    echo "Some tests FAILED." >&2
fi
exit $status
