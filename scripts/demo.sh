#!/usr/bin/env bash
# Installs what is missing, builds, and shows what ferry does today: its plugins, a configuration check,
# and a node that starts from the embedded defaults, loads its plugins and stops cleanly on SIGTERM.
# (The streaming demo — two nodes moving a sample data set — replaces this once streaming lands.)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh default
ferry=build/default/bin/ferry

echo
echo "== $($ferry --version)"
echo
echo "== ferry plugins"
$ferry plugins
echo
echo "== ferry config check configs/node.toml"
$ferry config check configs/node.toml
echo
echo "== ferry node (embedded defaults), stopped with SIGTERM once ready"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
log=$scratch/node.log
$ferry node --set node.name=demo --set "node.data_dir=$scratch/data" --set transport.listen=127.0.0.1:0 2>"$log" &
node=$!
for _ in $(seq 1 100); do
  grep -q "node 'demo' ready" "$log" && break
  sleep 0.1
done
kill -TERM "$node"
status=0
wait "$node" || status=$?
cat "$log"
echo "== node exited with status $status"
exit "$status"
