#!/usr/bin/env bash
# Installs what is missing, then builds and runs every test: once in the release build, once under
# AddressSanitizer and UndefinedBehaviorSanitizer; then runs every libFuzzer target for 30 s (scripts/fuzz.sh; FERRY_FUZZ_SECONDS sets it).
# This is what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

for preset in default asan; do
  echo "== $preset: build"
  scripts/build.sh "$preset"
  echo "== $preset: test"
  ctest --preset "$preset" -j 2
done
echo "== fuzz: build, then run each target for ${FERRY_FUZZ_SECONDS:-30} s"
scripts/fuzz.sh
echo "== all tests passed (default and asan), and no fuzz target found anything"
