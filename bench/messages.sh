#!/usr/bin/env bash
# The message benchmark (PRODUCT.md §9, bench/README.md): ferry's one-way acknowledged message rate and its
# round trip, and their anchors (a raw TCP ping-pong, ZeroMQ PUSH/PULL), all measured in this one run on
# this machine, then the ferry/anchor ratios. Installs what is missing (Debian 12), builds ferry and the
# anchors first.
#
# Every measurement runs FERRY_BENCH_RUNS times (default 5), ferry and its anchor in turn, so that both
# meet the same moments of a shared machine; the figures and ratios are the medians. A run of a million
# small messages lasts a fifth of a second, and one run alone swung by a third between two tries.
#
# FERRY_BENCH_ROUND_TRIPS (default 20000), FERRY_BENCH_MESSAGES (default 1000000) and FERRY_BENCH_WINDOW
# (unacknowledged messages in flight for the rate runs, default 1000) size the runs.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${FERRY_BENCH_RUNS:-5}
round_trips=${FERRY_BENCH_ROUND_TRIPS:-20000}
messages=${FERRY_BENCH_MESSAGES:-1000000}
window=${FERRY_BENCH_WINDOW:-1000}

scripts/setup.sh libzmq3-dev
scripts/build.sh default
cmake -S bench -B build/bench -G Ninja >/dev/null
cmake --build build/bench

ferry=build/default/bin/ferry
# A ferry without `ping` answers `ferry ping --help` with its top-level help (exit 0), so look for ping's --to.
if ! ping_help=$("$ferry" ping --help 2>&1) || ! grep -q -- "--to" <<<"$ping_help"; then
  echo "messages.sh: this ferry has no 'ping' command ('$ferry ping --help' does not describe --to);" \
       "it measures ferry's side of the benchmark (issue 3). The anchors alone: build/bench/tcp_pingpong," \
       "build/bench/zmq_pushpull." >&2
  exit 1
fi

scratch=$(mktemp -d /tmp/ferry-bench.XXXXXX)
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

# Two ports free now: the serving node's and the pinging node's own listen address.
read -r server_port ping_port < <(python3 -c '
import socket
socks = [socket.create_server(("127.0.0.1", 0)) for _ in range(2)]
print(*(s.getsockname()[1] for s in socks))')

# A node of its own for each side: a scratch data directory, no admin endpoint to collide with.
write_config() {
  local name=$1 port=$2
  mkdir -p "$scratch/$name"
  cat >"$scratch/$name.toml" <<EOF
[node]
name = "$name"
data_dir = "$scratch/$name"

[transport]
listen = "127.0.0.1:$port"

[admin]
enabled = false
EOF
}
write_config bench-server "$server_port"
write_config bench-ping "$ping_port"

"$ferry" node -c "$scratch/bench-server.toml" 2>"$scratch/server.log" &
server_pid=$!
for _ in $(seq 200); do
  grep -q "node 'bench-server' ready" "$scratch/server.log" && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if ! grep -q "node 'bench-server' ready" "$scratch/server.log"; then
  echo "messages.sh: the serving ferry node did not become ready; its log:" >&2
  cat "$scratch/server.log" >&2
  exit 1
fi

# Runs one measurement and keeps the last line of its output (the JSON object) under a label.
results="$scratch/results.tsv"
record() {
  local label=$1 output
  shift
  echo "bench: $label (run $run of $runs)" >&2
  if ! output=$("$@" 2>"$scratch/$label.err"); then
    echo "messages.sh: '$*' failed:" >&2
    cat "$scratch/$label.err" >&2
    exit 1
  fi
  printf '%s\t%s\n' "$label" "$(tail -n 1 <<<"$output")" >>"$results"
}

ping=("$ferry" ping -c "$scratch/bench-ping.toml" --to "127.0.0.1:$server_port" --json)
for run in $(seq "$runs"); do
  record tcp_rtt build/bench/tcp_pingpong --count "$round_trips" --size 64
  record ferry_rtt "${ping[@]}" --count "$round_trips" --size 64 --window 1
  record zmq_64 build/bench/zmq_pushpull --count "$messages" --size 64
  record ferry_64 "${ping[@]}" --one-way --count "$messages" --size 64 --window "$window"
  record zmq_1k build/bench/zmq_pushpull --count "$messages" --size 1024
  record ferry_1k "${ping[@]}" --one-way --count "$messages" --size 1024 --window "$window"
done

python3 - "$results" "$window" "$runs" <<'EOF'
import json
import statistics
import sys

runs_of = {}
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        label, text = line.rstrip("\n").split("\t", 1)
        try:
            runs_of.setdefault(label, []).append(json.loads(text))
        except json.JSONDecodeError:
            sys.exit(f"messages.sh: {label} did not end with a JSON object: {text!r}")
window, runs = sys.argv[2], int(sys.argv[3])


def median_of(label, key):
    values = [r[key] for r in runs_of[label] if r.get(key) is not None]
    return statistics.median(values) if values else None


# Each label's figures are the medians over its runs; the rest of its record (counts, what was
# negotiated) is the same in every run.
results = {}
for label, records in runs_of.items():
    merged = dict(records[-1])
    for key in ("msgs_per_s", "rtt_p50_us", "rtt_p99_us"):
        merged[key] = median_of(label, key)
    rates = [r["msgs_per_s"] for r in records if r.get("msgs_per_s") is not None]
    merged["range"] = f"{min(rates) / 1e6:.2f}-{max(rates) / 1e6:.2f}M" if rates else "-"
    results[label] = merged


def cell(value, digits=0):
    return "-" if value is None else f"{value:,.{digits}f}"


rows = [
    ("raw TCP ping-pong", "tcp_rtt", 64),
    ("ZeroMQ PUSH/PULL", "zmq_64", 64),
    ("ZeroMQ PUSH/PULL", "zmq_1k", 1024),
    ("ferry ping, window 1", "ferry_rtt", 64),
    (f"ferry one-way, window {window}", "ferry_64", 64),
    (f"ferry one-way, window {window}", "ferry_1k", 1024),
]
# For the one-way rows, the latency columns are the time from send to acknowledgement.
print(f"\nmedians of {runs} runs each, ferry and its anchor in turn")
print(f"{'benchmark':<34}{'size':>6}{'count':>10}{'msgs/s':>12}{'runs msgs/s':>14}{'rtt p50 us':>12}"
      f"{'rtt p99 us':>12}")
for title, label, size in rows:
    r = results[label]
    count = r.get("count", r.get("sent"))  # anchors say count, ferry ping says sent
    print(f"{title:<34}{size:>6}{count:>10}{cell(r.get('msgs_per_s')):>12}{r['range']:>14}"
          f"{cell(r.get('rtt_p50_us'), 1):>12}{cell(r.get('rtt_p99_us'), 1):>12}")

f = results["ferry_64"]
print(f"\nferry negotiated: transport {f['transport']}, codec {f['version']}, mode {f['mode']}, "
      f"features {json.dumps(f['features'])}, tls {json.dumps(f['tls'])}")

print()
ratios = [
    ("ferry 64 B msgs/s / ZeroMQ 64 B msgs/s", results["ferry_64"]["msgs_per_s"] / results["zmq_64"]["msgs_per_s"],
     ">=", 1.0),
    ("ferry 1 KiB msgs/s / ZeroMQ 1 KiB msgs/s", results["ferry_1k"]["msgs_per_s"] / results["zmq_1k"]["msgs_per_s"],
     ">=", 1.0),
    ("ferry rtt p50 / raw TCP rtt p50", results["ferry_rtt"]["rtt_p50_us"] / results["tcp_rtt"]["rtt_p50_us"],
     "<=", 1.3),
]
for title, ratio, direction, target in ratios:
    met = ratio >= target if direction == ">=" else ratio <= target
    print(f"{title:<42}{ratio:>6.2f}   target {direction} {target}   {'met' if met else 'NOT MET'}")

# A rate measured while messages went missing means nothing: that run is a failure, not a figure.
faulty = [(label, r) for label in ("ferry_rtt", "ferry_64", "ferry_1k") for r in runs_of[label]
          if r["lost"] or r["duplicated"] or r["received"] != r["sent"]]
for label, r in faulty:
    print(f"messages.sh: {label}: sent {r['sent']}, received {r['received']}, lost {r['lost']}, "
          f"duplicated {r['duplicated']}", file=sys.stderr)
sys.exit(1 if faulty else 0)
EOF
