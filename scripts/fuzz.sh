#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (the `fuzz` preset: clang, ASan and UBSan) and runs each for
# FERRY_FUZZ_SECONDS (30 by default), two at a time, seeded from tests/fuzz/corpus/<target>. Fails when a
# target crashes, trips a sanitizer, leaks or hangs; the input that did it stays in
# build/fuzz/findings/<target>/, to be added to the corpus as a regression test with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FERRY_FUZZ_SECONDS:-30}

targets=()
for source in tests/fuzz/*_fuzz.cpp; do
  targets+=("$(basename "$source" _fuzz.cpp)")
done

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target "${targets[@]/%/-fuzz}"

findings=build/fuzz/findings
rm -rf "$findings"

# New inputs go to a scratch corpus first in the list, so the seeds in the source tree stay as committed.
fuzz_one() {
  local name=$1
  local work=$findings/$name
  mkdir -p "$work/corpus"
  if build/fuzz/bin/"$name"-fuzz "$work/corpus" "tests/fuzz/corpus/$name" -max_total_time="$seconds" -timeout=25 \
    -artifact_prefix="$work/" -print_final_stats=1 >"$work/log" 2>&1; then
    local runs
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
    echo "fuzz: $name: no finding in ${seconds} s (${runs:-?} inputs)"
  else
    echo "fuzz: $name FAILED; its input is in $work/:"
    tail -n 60 "$work/log"
    return 1
  fi
}

status=0
running=0
for name in "${targets[@]}"; do
  if ((running == 2)); then
    wait -n || status=1
    running=$((running - 1))
  fi
  fuzz_one "$name" &
  running=$((running + 1))
done
while ((running > 0)); do
  wait -n || status=1
  running=$((running - 1))
done
exit "$status"
