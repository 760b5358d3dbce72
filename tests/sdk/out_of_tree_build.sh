#!/bin/sh
# Builds one plugin folder alone, against nothing but the SDK, as an outside author would, and checks that
# ferry loads the result.
# Usage: out_of_tree_build.sh CMAKE SOURCE_DIR FERRY_BIN FOLDER NAME VERSION
#   FOLDER is the plugin's folder under plugins/ (its .so is named after it), NAME and VERSION what its
#   descriptor declares.
set -eu
cmake=$1 source=$2 ferry=$3 folder=$4 name=$5 version=$6
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$cmake" -S "$source/plugins/$folder" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -Dferry-sdk_DIR="$source/sdk/cmake" >"$work/configure.log" || { cat "$work/configure.log"; exit 1; }
"$cmake" --build "$work/build" >"$work/build.log" || { cat "$work/build.log"; exit 1; }
test -f "$work/build/$folder.so"

"$ferry" plugins --json --set "node.plugin_dirs=[\"$work/build\"]" >"$work/plugins.json"
grep -q "\"name\":\"$name\",\"version\":\"$version\",\"abi\":\"1.0\"" "$work/plugins.json" ||
  { cat "$work/plugins.json"; exit 1; }
grep -q '"status":"loaded"' "$work/plugins.json" || { cat "$work/plugins.json"; exit 1; }
echo "out-of-tree $folder built and loaded"
