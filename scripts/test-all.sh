#!/usr/bin/env bash
# Builds and runs every test: the normal build (warnings are errors), the model tests again
# under ASan+UBSan, and a warning-free clang build of the model tests.
# Usage: scripts/test-all.sh   (from anywhere; build trees go under ./build*)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
export CTEST_OUTPUT_ON_FAILURE=1

echo "== build (g++, -Werror) and all tests"
cmake -S . -B build -DEPSIM_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build -j"$jobs"

echo "== model, scenario, host and GUI tests under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DEPSIM_SANITIZE=ON -DEPSIM_BUILD_BENCH=OFF >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan -L "model|scenario|host|gui" -j"$jobs"

if command -v clang++-14 >/dev/null; then
  echo "== clang 14 (-Werror) model tests"
  cmake -S . -B build-clang -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_C_COMPILER=clang-14 \
        -DEPSIM_WERROR=ON -DEPSIM_BUILD_BENCH=OFF >/dev/null
  cmake --build build-clang -j"$jobs"
  ctest --test-dir build-clang -L model -j"$jobs"
fi
echo "test-all: every suite passed"
