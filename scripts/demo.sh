#!/usr/bin/env bash
# Installs what is missing, builds, and shows ferry's main job: two local nodes, a sample data set of mixed
# sizes (1.2 GiB of data plus a 2 GiB sparse file), sent to one node with `ferry send` and fetched from the
# other's export root with `ferry fetch`, each with progress and a summary, then checked byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh default
ferry=$PWD/build/default/bin/ferry

scratch=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

# Pseudo-random bytes at memory speed (AES-CTR over zeros): incompressible, and fast to make. The zeros are
# counted out before the cipher, so neither side of the pipe dies of a closed pipe (pipefail would stop us).
random_bytes() { head -c "$1" /dev/zero | openssl enc -aes-128-ctr -pass pass:ferry-demo -pbkdf2 -nosalt 2>/dev/null; }

echo "== making a sample data set in $scratch/sample"
data=$scratch/sample
mkdir -p "$data/big" "$data/medium" "$data/small/nested" "$data/sparse"
random_bytes $((512 << 20)) >"$data/big/one.bin"
for i in 1 2 3 4 5 6; do random_bytes $((100 << 20)) >"$data/medium/part-$i.bin"; done
for i in $(seq 1 100); do random_bytes $((i * 997)) >"$data/small/file-$i"; done
for i in $(seq 1 20); do random_bytes $((i * 51)) >"$data/small/nested/n-$i"; done
: >"$data/small/empty"
printf x >"$data/small/one-byte"
truncate -s 2G "$data/sparse/disk.img"
random_bytes $((8 << 20)) | dd of="$data/sparse/disk.img" bs=1M seek=1000 conv=notrunc status=none
du -sh --apparent-size "$data"; echo "$(find "$data" -type f | wc -l) files, $(du -sh "$data" | cut -f1) on disk"

start_node() {  # name, sink root, export root; sets $address
  mkdir -p "$2" "$3" "$scratch/$1-data"
  cat >"$scratch/$1.toml" <<TOML
[node]
name = "$1"
data_dir = "$scratch/$1-data"
[transport]
listen = "127.0.0.1:0"
[admin]
listen = "127.0.0.1:0"
[stream]
export_roots = ["$3"]
[[sink]]
name = "received"
plugin = "fs"
root = "$2"
fsync = "none"
TOML
  $ferry node -c "$scratch/$1.toml" >/dev/null 2>"$scratch/$1.log" &
  pids+=($!)
  for _ in $(seq 1 100); do
    grep -q "node '$1' ready" "$scratch/$1.log" && break
    sleep 0.1
  done
  address=$(sed -n 's/.*listening on \([^ ]*\) .*/\1/p' "$scratch/$1.log")
}

echo
echo "== starting two nodes"
start_node alpha "$scratch/alpha-received" "$scratch/alpha-exports"
alpha=$address
start_node beta "$scratch/beta-received" "$scratch"
beta=$address
echo "alpha listens on $alpha, beta on $beta (beta exports $scratch)"

echo
echo "== ferry send --to $alpha $data"
$ferry send --to "$alpha" "$data"
diff -r "$data" "$scratch/alpha-received/sample"
echo "verified: alpha holds a byte-identical copy"

echo
echo "== ferry fetch --from $beta sample (into a local fs sink)"
mkdir -p "$scratch/fetched"
cat >"$scratch/fetch.toml" <<TOML
[[sink]]
name = "here"
plugin = "fs"
root = "$scratch/fetched"
fsync = "none"
TOML
$ferry fetch --from "$beta" -c "$scratch/fetch.toml" sample
diff -r "$data" "$scratch/fetched/sample"
echo "verified: the fetched copy is byte-identical"

echo
echo "== the nodes' logs"
grep -h 'session' "$scratch/alpha.log" "$scratch/beta.log"
