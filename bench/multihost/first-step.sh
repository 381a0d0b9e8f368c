#!/usr/bin/env bash
# Time from process start to the first training step, coordinator and three workers each on its own network
# host (a network namespace with its own address, joined by a bridge in a namespace of its own; nothing is
# added to this machine's network). Needs root and iproute2.
#   sudo bash bench/multihost/first-step.sh [RUNS]     # RUNS per discovery method, default 5
# Prints one JSON line per run and a markdown table: median (min–max) for config discovery (Cluster Bootstrap)
# and for seed nodes.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
dotnet build coordinator -c Release -v quiet -nologo >/dev/null
dotnet build node-host -c Release -v quiet -nologo >/dev/null
coordinator=coordinator/bin/Release/net10.0/coordinator.dll
node_host=node-host/bin/Release/net10.0/node-host.dll

id="dgb$$"
work=$(mktemp -d)
cleanup() {
  jobs -p | xargs -r kill -9 2>/dev/null || true
  for ns in "${id}h0" "${id}h1" "${id}h2" "${id}h3" "${id}sw"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

ip netns add "${id}sw"
ip -n "${id}sw" link add br0 type bridge
ip -n "${id}sw" link set br0 up
for i in 0 1 2 3; do
  ip netns add "${id}h$i"
  ip link add eth0 netns "${id}h$i" type veth peer name "p$i" netns "${id}sw"
  ip -n "${id}sw" link set "p$i" master br0
  ip -n "${id}sw" link set "p$i" up
  ip -n "${id}h$i" addr add "10.232.0.$((i + 1))/24" dev eth0
  ip -n "${id}h$i" link set eth0 up
  ip -n "${id}h$i" link set lo up
done

# Mutual TLS, as every cluster node runs it: one CA and one node certificate that all four nodes present.
dotnet "$coordinator" certs --out "$work/tls" >/dev/null
tls=(--tls-cert "$work/tls/tls.crt" --tls-key "$work/tls/tls.key" --tls-ca "$work/tls/ca.crt")

contact_points="10.232.0.1:8558,10.232.0.2:8558,10.232.0.3:8558,10.232.0.4:8558"
job=(--steps 3 --batch-size 48 --data-parallel 3 --no-eval)

# One run: starts the workers and the coordinator at once; prints the seconds until the coordinator's "step 1/".
run_once() {
  local method=$1 n=$2 start out
  local -a discovery
  out="$work/$method-$n"
  mkdir -p "$out"
  start=$(date +%s.%N)
  for i in 1 2 3; do
    if [[ $method == config ]]; then
      discovery=(--discovery config --contact-points "$contact_points" --required-contact-points 4)
    else
      discovery=(--seed-nodes akka.ssl.tcp://distgrad@10.232.0.1:4053)
    fi
    ip netns exec "${id}h$i" dotnet "$node_host" "${discovery[@]}" "${tls[@]}" --hostname "10.232.0.$((i + 1))" --port 4053 >"$out/w$i.log" 2>&1 &
  done
  if [[ $method == config ]]; then
    discovery=(--discovery config --contact-points "$contact_points" --required-contact-points 4)
  else
    discovery=(--seed-nodes akka.ssl.tcp://distgrad@10.232.0.1:4053)
  fi
  ip netns exec "${id}h0" dotnet "$coordinator" train --cluster "${discovery[@]}" "${tls[@]}" --hostname 10.232.0.1 --port 4053 \
    --out "$out/run" "${job[@]}" 2>&1 | while IFS= read -r line; do
      if [[ $line == *"step 1/"* ]]; then echo "$(date +%s.%N)" > "$out/first"; fi
      echo "$line" >> "$out/coordinator.log"
    done
  jobs -p | xargs -r kill 2>/dev/null || true
  wait 2>/dev/null || true
  [[ -f "$out/first" ]] || { echo "run $method $n did not reach step 1:" >&2; cat "$out/coordinator.log" >&2; exit 1; }
  echo "$(cat "$out/first") - $start" | bc
}

results="$work/results.jsonl"
for n in $(seq 1 "$runs"); do
  for method in config seed-nodes; do
    s=$(run_once "$method" "$n")
    echo "{\"method\": \"$method\", \"run\": $n, \"seconds_to_first_step\": $s}" | tee -a "$results"
  done
done

python3 - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| discovery | process start to step 1: median (min–max) | runs |")
print("| --- | --- | --- |")
for method in ("config", "seed-nodes"):
    xs = [r["seconds_to_first_step"] for r in rows if r["method"] == method]
    print(f"| {method} | {statistics.median(xs):.1f} s ({min(xs):.1f}–{max(xs):.1f}) | {len(xs)} |")
PY
