#!/usr/bin/env bash
# The streaming benchmark (PRODUCT.md §9, bench/README.md): in one run on this machine, over 127.0.0.1,
#   - ferry: `ferry send` of one file into a node's `null` sink;
#   - iperf3: one TCP stream of the same number of bytes;
#   these two FERRY_BENCH_RUNS times (default 5), in turn, so that both meet the same moments of a shared
#   machine, compared by their medians;
#   - rsync: the same file to an rsync daemon (whole-file, into a fresh directory), once;
# then the ratios, and the peak RSS of both ferry processes (GNU time) while they stream FERRY_BENCH_RSS_GIB.
#
# FERRY_BENCH_GIB (default 4) sizes the throughput runs; FERRY_BENCH_RSS_GIB (default 10) the memory run.
set -euo pipefail
cd "$(dirname "$0")/.."

gib=${FERRY_BENCH_GIB:-4}
rss_gib=${FERRY_BENCH_RSS_GIB:-10}
runs=${FERRY_BENCH_RUNS:-5}

scripts/setup.sh iperf3 rsync time procps
scripts/build.sh default
ferry=$PWD/build/default/bin/ferry

scratch=$(mktemp -d /tmp/ferry-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# Pseudo-random bytes at memory speed (AES-CTR over zeros), so that nothing on the way can compress them.
make_file() { head -c "$2" /dev/zero | openssl enc -aes-128-ctr -pass pass:ferry-bench -pbkdf2 -nosalt 2>/dev/null >"$1"; }
seconds() { python3 -c 'import time; print(time.monotonic())'; }
source bench/median.sh
rate() { python3 -c "print(f'{$1 / ($3 - $2) / 2**20:.0f}')"; }  # MiB/s of bytes between two times

bytes=$((gib << 30))
file=$scratch/data.bin
echo "making a $gib GiB file" >&2
make_file "$file" "$bytes"
# Written back to disk now, not by the kernel's flusher threads in the middle of the timed runs.
sync "$file"

# --- the receiving ferry node ----------------------------------------------------------------------------
cat >"$scratch/node.toml" <<TOML
[node]
name = "bench"
data_dir = "$scratch/node-data"
[transport]
listen = "127.0.0.1:0"
[admin]
enabled = false
TOML
/usr/bin/time -f "%M" -o "$scratch/node.rss" "$ferry" node -c "$scratch/node.toml" 2>"$scratch/node.log" &
pids+=($!)
for _ in $(seq 1 100); do grep -q "node 'bench' ready" "$scratch/node.log" && break; sleep 0.1; done
address=$(sed -n 's/.*listening on \([^ ]*\) .*/\1/p' "$scratch/node.log")

# --- ferry and iperf3, in turn ---------------------------------------------------------------------------
ferry_rates=()
iperf_rates=()
for run in $(seq 1 "$runs"); do
  "$ferry" send --to "$address" --json "$file" >"$scratch/ferry.json"
  ferry_rates+=("$(python3 -c "import json; print(f'{json.load(open(\"$scratch/ferry.json\"))[\"bytes_per_s\"] / 2**20:.0f}')")")
  port=$(free_port)
  iperf3 -s -1 -B 127.0.0.1 -p "$port" >/dev/null 2>&1 &
  iperf_pid=$!
  sleep 0.5
  iperf_rates+=("$(iperf3 -c 127.0.0.1 -p "$port" -n "$bytes" -J |
    python3 -c 'import json, sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 8 / 2**20))')")
  wait "$iperf_pid"
  echo "run $run: ferry ${ferry_rates[-1]} MiB/s, iperf3 ${iperf_rates[-1]} MiB/s" >&2
done
ferry_mib=$(median "${ferry_rates[@]}")
iperf_mib=$(median "${iperf_rates[@]}")

# --- rsync ---------------------------------------------------------------------------------------------
port=$(free_port)
mkdir -p "$scratch/rsync-in"
cat >"$scratch/rsyncd.conf" <<CONF
pid file = $scratch/rsyncd.pid
use chroot = no
uid = $(id -u)
gid = $(id -g)
[in]
path = $scratch/rsync-in
read only = no
CONF
rsync --daemon --no-detach --address=127.0.0.1 --port="$port" --config="$scratch/rsyncd.conf" &
pids+=($!)
sleep 0.5
start=$(seconds)
rsync --whole-file "$file" "rsync://127.0.0.1:$port/in/"
end=$(seconds)
rsync_mib=$(rate "$bytes" "$start" "$end")
rm -f "$scratch/rsync-in/data.bin"

# --- memory: both ferry processes' peak RSS while streaming rss_gib ---------------------------------------
rm -f "$file"
big=$scratch/big.bin
echo "making a $rss_gib GiB file" >&2
make_file "$big" $((rss_gib << 30))
/usr/bin/time -f "%M" -o "$scratch/sender.rss" "$ferry" send --to "$address" --json "$big" >"$scratch/big.json"
# The node is GNU time's child: stopping it (not time) lets time write the node's peak RSS.
pkill -TERM -P "${pids[0]}"
wait "${pids[0]}" || true

echo
printf '%-28s %10s   %s\n' "run" "MiB/s" "each run"
printf '%-28s %10s   %s\n' "ferry send -> null sink" "$ferry_mib" "${ferry_rates[*]}" \
  "iperf3, one stream" "$iperf_mib" "${iperf_rates[*]}" "rsync daemon, whole file" "$rsync_mib" "$rsync_mib"
python3 -c "print(f'ferry / iperf3 = {$ferry_mib / $iperf_mib:.2f} (target >= 0.9), ferry / rsync = {$ferry_mib / $rsync_mib:.2f} (target >= 2)')"
echo "peak RSS streaming $rss_gib GiB: sender $(( $(cat "$scratch/sender.rss") / 1024 )) MiB, receiver $(( $(cat "$scratch/node.rss") / 1024 )) MiB (target < 64 MiB each)"
