#!/usr/bin/env bash
# The TLS benchmark (PRODUCT.md §9, bench/README.md): in one run on this machine, over 127.0.0.1,
#   - ferry: `ferry send` of one file into a node's `null` sink, both ends with TLS (mutual, TLS 1.3);
#   - OpenSSL: build/bench/tls_stream, a plain OpenSSL client and server moving the same number of bytes
#     with the same certificates, version and default cipher suite;
# each FERRY_BENCH_RUNS times (default 5), the two in turn, so that both meet the same moments of a shared
# machine; then the median of each and their ratio. Target: ferry >= 0.8x the plain OpenSSL stream.
#
# FERRY_BENCH_GIB (default 2) sizes every run.
set -euo pipefail
cd "$(dirname "$0")/.."

gib=${FERRY_BENCH_GIB:-2}
runs=${FERRY_BENCH_RUNS:-5}

scripts/setup.sh libzmq3-dev
scripts/build.sh default
cmake -S bench -B build/bench -G Ninja >/dev/null
cmake --build build/bench >/dev/null
ferry=$PWD/build/default/bin/ferry

scratch=$(mktemp -d /tmp/ferry-bench-tls.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

# A CA and one certificate per side, each naming its node (docs/protocol.md §1.12).
ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
openssl req -x509 "${ec[@]}" -keyout "$scratch/ca.key" -out "$scratch/ca.pem" -days 2 -subj /CN=bench-ca 2>/dev/null
for name in receiver sender; do
  openssl req "${ec[@]}" -keyout "$scratch/$name.key" -out "$scratch/$name.csr" -subj "/CN=$name" 2>/dev/null
  echo "subjectAltName=DNS:$name" >"$scratch/$name.ext"
  openssl x509 -req -in "$scratch/$name.csr" -CA "$scratch/ca.pem" -CAkey "$scratch/ca.key" -CAcreateserial \
    -days 2 -extfile "$scratch/$name.ext" -out "$scratch/$name.pem" 2>/dev/null
done
tls_config() {  # name
  cat <<TOML
[node]
name = "$1"
data_dir = "$scratch/$1-data"
[tls]
enabled = true
required = true
cert = "$scratch/$1.pem"
key = "$scratch/$1.key"
ca = "$scratch/ca.pem"
TOML
}

bytes=$((gib << 30))
file=$scratch/data.bin
echo "making a $gib GiB file" >&2
head -c "$bytes" /dev/zero | openssl enc -aes-128-ctr -pass pass:ferry-bench -pbkdf2 -nosalt 2>/dev/null >"$file"

# --- ferry over TLS --------------------------------------------------------------------------------------
{ tls_config receiver; printf '[transport]\nlisten = "127.0.0.1:0"\n[admin]\nenabled = false\n'; } >"$scratch/receiver.toml"
tls_config sender >"$scratch/sender.toml"
"$ferry" node -c "$scratch/receiver.toml" 2>"$scratch/node.log" &
pids+=($!)
for _ in $(seq 1 100); do grep -q "node 'receiver' ready" "$scratch/node.log" && break; sleep 0.1; done
address=$(sed -n 's/.*listening on \([^ ]*\) .*/\1/p' "$scratch/node.log")
ferry_rates=()
openssl_rates=()
for run in $(seq 1 "$runs"); do
  "$ferry" send --to "$address" -c "$scratch/sender.toml" --json "$file" >"$scratch/ferry.json" 2>>"$scratch/send.log"
  ferry_rates+=("$(python3 -c "import json; print(f'{json.load(open(\"$scratch/ferry.json\"))[\"bytes_per_s\"] / 2**20:.0f}')")")
  build/bench/tls_stream --bytes "$bytes" --cert "$scratch/sender.pem" --key "$scratch/sender.key" \
    --ca "$scratch/ca.pem" >"$scratch/openssl.json"
  openssl_rates+=("$(python3 -c "import json; print(f'{json.load(open(\"$scratch/openssl.json\"))[\"mib_per_s\"]:.0f}')")")
  echo "run $run: ferry ${ferry_rates[-1]} MiB/s, OpenSSL ${openssl_rates[-1]} MiB/s" >&2
done
grep -q "tls TLSv1.3" "$scratch/node.log" || { echo "the ferry runs did not use TLS" >&2; exit 1; }
source bench/median.sh
ferry_mib=$(median "${ferry_rates[@]}")
openssl_mib=$(median "${openssl_rates[@]}")

echo
printf '%-36s %10s   %s\n' "run (median of $runs)" "MiB/s" "each run"
printf '%-36s %10s   %s\n' "ferry send over TLS -> null sink" "$ferry_mib" "${ferry_rates[*]}" \
  "OpenSSL client -> server (TLS 1.3)" "$openssl_mib" "${openssl_rates[*]}"
python3 -c "print(f'ferry over TLS / plain OpenSSL = {$ferry_mib / $openssl_mib:.2f} (target >= 0.8)')"
