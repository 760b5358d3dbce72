#!/bin/sh
# Runs the conformance kit against a sink broken in one way and expects the named check to fail (a broken
# rule may fail others too: a sink that keeps aborted files also shows a failed commit's bytes).
# Usage: kit_catches.sh KIT PLUGIN "CHECK NAME" [KIT OPTIONS...]
set -u
kit=$1 plugin=$2 check=$3
shift 3
output=$("$kit" "$plugin" "$@" 2>&1)
status=$?
if [ "$status" -eq 0 ] || ! printf '%s\n' "$output" | grep -q "^test cases:.*failed" ||
   ! printf '%s\n' "$output" | grep -qxF "$check"; then
  printf '%s\n' "$output"
  echo "FAILED: expected the check \"$check\" to fail; the kit exited with $status"
  exit 1
fi
echo "the kit caught $(basename "$(dirname "$plugin")"): \"$check\" failed"
