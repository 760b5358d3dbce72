#!/bin/sh
# Builds plugins/sink-null alone, against nothing but the SDK, as an outside author would, and checks
# that ferry loads the result.
# Usage: out_of_tree_build.sh CMAKE SOURCE_DIR FERRY_BIN
set -eu
cmake=$1 source=$2 ferry=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$cmake" -S "$source/plugins/sink-null" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -Dferry-sdk_DIR="$source/sdk/cmake" >"$work/configure.log" || { cat "$work/configure.log"; exit 1; }
"$cmake" --build "$work/build" >"$work/build.log" || { cat "$work/build.log"; exit 1; }
test -f "$work/build/sink-null.so"

"$ferry" plugins --json --set "node.plugin_dirs=[\"$work/build\"]" >"$work/plugins.json"
grep -q '"name":"null","version":"1.0.0","abi":"1.0"' "$work/plugins.json"
grep -q '"status":"loaded"' "$work/plugins.json" || { cat "$work/plugins.json"; exit 1; }
echo "out-of-tree sink-null built and loaded"
