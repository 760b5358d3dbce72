#!/bin/sh
# Installs the whole build to a temporary prefix and uses the SDK from there only, as an outside author
# would after installing the package: find_package with nothing but CMAKE_PREFIX_PATH, the version rule of
# the ABI, pkg-config's flags and plugindir, which an installed ferry must read, and the example sink,
# built from its installed copy, checked by the installed conformance kit and loaded by the installed ferry;
# then a node of the installed ferry streams a file into each sink built from the prefix.
# Usage: installed_sdk.sh CMAKE BUILD_DIR SOURCE_DIR C_COMPILER
set -eu
cmake=$1 build=$2 source=$3 cc=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
fail() { echo "FAILED: $*"; exit 1; }
run_logged() { log=$1; shift; "$@" >"$log" 2>&1 || { cat "$log"; fail "$*"; }; }

run_logged "$work/install.log" "$cmake" --install "$build" --prefix "$prefix"
for file in include/ferry/abi.h include/ferry/sink.hpp share/ferry-sdk/cmake/ferry-sdk-config.cmake \
            share/ferry-sdk/cmake/ferry-sdk-config-version.cmake share/ferry-sdk/lib/digest/sha256.cpp \
            share/pkgconfig/ferry-sdk.pc; do
  test -f "$prefix/$file" || fail "$file is not installed"
done

# A plugin folder configured with only the prefix to go on, then installed into a prefix of its own.
run_logged "$work/configure.log" "$cmake" -S "$source/plugins/sink-null" -B "$work/null-build" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix"
grep -q "ferry-sdk_DIR:PATH=$prefix/share/ferry-sdk/cmake" "$work/null-build/CMakeCache.txt" ||
  fail "find_package did not take the SDK from the prefix"
run_logged "$work/build.log" "$cmake" --build "$work/null-build"
run_logged "$work/install-plugin.log" "$cmake" --install "$work/null-build" --prefix "$work/author"
test -f "$work/author/lib/ferry/plugins/sink-null.so" || fail "ferry_add_plugin installed nothing into lib/ferry/plugins"

# The package version is the ABI's: same major, minor at most the SDK's.
abi=$(sed -n 's/^#define FERRY_ABI_MAJOR \([0-9]*\)$/\1/p' "$prefix/include/ferry/abi.h").$(sed -n \
  's/^#define FERRY_ABI_MINOR \([0-9]*\)$/\1/p' "$prefix/include/ferry/abi.h")
major=${abi%.*} minor=${abi#*.}
check_version() {
  mkdir -p "$work/v$1"
  printf 'cmake_minimum_required(VERSION 3.25)\nproject(v NONE)\nfind_package(ferry-sdk %s)\nmessage(STATUS "found=${ferry-sdk_FOUND} version=${ferry-sdk_VERSION}")\n' \
    "$1" >"$work/v$1/CMakeLists.txt"
  "$cmake" -S "$work/v$1" -B "$work/v$1/build" -DCMAKE_PREFIX_PATH="$prefix" >"$work/v$1.log" 2>&1 || true
  grep -q "found=$2" "$work/v$1.log" || { cat "$work/v$1.log"; fail "find_package(ferry-sdk $1) should give found=$2"; }
}
check_version "$major.$minor" 1
check_version "$major.0" 1
check_version "$major.$((minor + 1))" 0
check_version "$((major + 1)).0" 0
grep -q "version=$abi" "$work/v$major.$minor.log" || fail "package version is not the ABI version $abi"

# pkg-config: a sink compiled with nothing but its flags, put into plugindir, is loaded by the installed ferry.
export PKG_CONFIG_PATH="$prefix/share/pkgconfig"
test "$(pkg-config --modversion ferry-sdk)" = "$abi" || fail "pkg-config version is not $abi"
plugindir=$(pkg-config --variable=plugindir ferry-sdk)
test "$(realpath "$plugindir")" = "$(realpath "$prefix/lib/ferry/plugins")" || fail "plugindir is $plugindir"
# shellcheck disable=SC2046
"$cc" -std=c11 -Wall -Werror -shared -fPIC -fvisibility=hidden $(pkg-config --cflags ferry-sdk) \
  -DFERRY_TEST_NAME='"pc-sink"' "$source/tests/plugins/c_sink.c" -o "$plugindir/pc-sink.so" ||
  fail "compiling with pkg-config's flags"
"$prefix/bin/ferry" plugins --json >"$work/plugins.json"
grep -q '"name":"pc-sink","version":"0.1.0"' "$work/plugins.json" || { cat "$work/plugins.json"; fail "pc-sink not listed"; }
grep -q '"status":"refused"' "$work/plugins.json" && { cat "$work/plugins.json"; fail "a plugin was refused"; }
# The example sink, from the installed copy, against the installed SDK only.
run_logged "$work/cas-configure.log" "$cmake" -S "$prefix/share/ferry-sdk/examples/cas-sink" -B "$work/cas-build" \
  -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix"
run_logged "$work/cas-build.log" "$cmake" --build "$work/cas-build"
run_logged "$work/cas-kit.log" "$prefix/bin/ferry-sink-check" "$work/cas-build/cas-sink.so" --set 'root={scratch}/store' \
  --large-size 64MiB
"$prefix/bin/ferry" plugins --json --set "node.plugin_dirs=[\"$work/cas-build\"]" >"$work/cas-plugins.json"
grep -q '"name":"cas","version":"1.0.0","abi":"1.0"' "$work/cas-plugins.json" || { cat "$work/cas-plugins.json"; fail "cas not loaded"; }
printf '[node]\nplugin_dirs = ["%s", "%s"]\n\n[[sink]]\nname = "store"\nplugin = "cas"\nroot = "%s"\n' \
  "$work/cas-build" "$prefix/lib/ferry/plugins" "$work/store" >"$work/node.toml"
run_logged "$work/config-check.log" "$prefix/bin/ferry" config check "$work/node.toml"

# Both sinks built from the prefix alone take a real stream: the installed ferry runs a node with the sink,
# and `ferry send` streams a file into it.
head -c 3000000 /dev/urandom >"$work/data.bin"
stream_into() {  # CONFIG LOG: starts a node from CONFIG, sends data.bin to it, stops it
  "$prefix/bin/ferry" node -c "$1" --set admin.listen=127.0.0.1:0 2>"$2" &
  node=$!
  tries=0
  until grep -q "ready; default sink" "$2"; do
    tries=$((tries + 1))
    [ "$tries" -le 200 ] && kill -0 "$node" 2>/dev/null || { kill "$node" 2>/dev/null || true; cat "$2"; fail "node of $1 did not start"; }
    sleep 0.1
  done
  address=$(sed -n 's/.*listening on \([^ ]*\) .*/\1/p' "$2")
  "$prefix/bin/ferry" send --to "$address" "$work/data.bin" >"$work/send.log" 2>&1 ||
    { kill "$node" || true; cat "$2" "$work/send.log"; fail "ferry send into the node of $1"; }
  kill -TERM "$node"
  wait "$node" || { cat "$2"; fail "the node of $1 did not stop cleanly"; }
}
node_settings() {  # NAME PLUGIN_DIRS: the node and transport part of a config
  printf '[node]\nname = "%s"\ndata_dir = "%s"\nplugin_dirs = [%s]\n' "$1" "$work/$1-data" "$2"
  printf '[transport]\nlisten = "127.0.0.1:0"\n'
}
{ node_settings cas-node "\"$work/cas-build\", \"$prefix/lib/ferry/plugins\""
  printf '[[sink]]\nname = "store"\nplugin = "cas"\nroot = "%s"\n' "$work/store"; } >"$work/cas-node.toml"
stream_into "$work/cas-node.toml" "$work/cas-node.log"
digest=$(sha256sum "$work/data.bin" | cut -d' ' -f1)
cmp "$work/data.bin" "$work/store/objects/$(echo "$digest" | cut -c1-2)/$digest" ||
  fail "the cas store does not hold the streamed file under its digest"
test -f "$work/store/names/data.bin" || fail "the cas store has no name for the streamed file"
{ node_settings pc-node "\"$prefix/lib/ferry/plugins\""; printf '[[sink]]\nname = "pc"\nplugin = "pc-sink"\n'; } >"$work/pc-node.toml"
stream_into "$work/pc-node.toml" "$work/pc-node.log"
grep -q "sink 'pc': 1 files committed (3000000 bytes)" "$work/pc-node.log" ||
  { cat "$work/pc-node.log"; fail "the pkg-config sink did not commit the streamed file"; }

echo "installed SDK $abi: find_package, version rule and pkg-config work; both sinks took a stream"
