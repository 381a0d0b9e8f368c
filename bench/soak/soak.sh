#!/usr/bin/env bash
# Soak with churn: a D=2 job of STEPS steps (default 1,000) on a coordinator and three node-hosts, each on its own
# network host (network namespaces joined by a bridge in a namespace of its own; nothing touches this machine's
# network). Every 100 steps a worker is killed with kill -9 and started again; every 300 steps one is cut off the
# network for 20 s instead (it downs itself; it is started again once the link is back). Hosts 1 and 2 take the
# faults in turn; host 3 is never touched. Asserts: the job ends within the time limit (no hang); the coordinator's and
# host 3's resident memory at the end is within 10% of its value after warm-up (step 190: host 3 has run a rank since the
# first fault); final.safetensors is
# byte-equal to the same job run without faults. Needs root and iproute2.
#   sudo bash bench/soak/soak.sh [STEPS]        # STEPS a multiple of 100, at least 400 (a cut at 300); CI runs 400
set -euo pipefail
cd "$(dirname "$0")/../.."
steps=${1:-1000}
limit=$(( 120 + steps / 4 ))   # seconds: start-up, the steps themselves (about 0.1 s each) and the faults' recoveries
dotnet build coordinator -c Release -v quiet -nologo >/dev/null
dotnet build node-host -c Release -v quiet -nologo >/dev/null
coordinator=coordinator/bin/Release/net10.0/coordinator.dll
node_host=node-host/bin/Release/net10.0/node-host.dll

id="dgs$$"
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
  ip -n "${id}h$i" addr add "10.233.0.$((i + 1))/24" dev eth0
  ip -n "${id}h$i" link set eth0 up
  ip -n "${id}h$i" link set lo up
done

dotnet "$coordinator" certs --out "$work/tls" >/dev/null
export DISTGRAD_TLS_CERT="$work/tls/tls.crt" DISTGRAD_TLS_KEY="$work/tls/tls.key" DISTGRAD_TLS_CA="$work/tls/ca.crt"
seed=akka.tcp://distgrad@10.233.0.1:4053
job=(--data-parallel 2 --steps "$steps" --batch-size 256 --seed 17 --clip-grad-norm 1.0 --step-timeout 10 --no-eval
     --checkpoint-every 10 --checkpoint-keep 2 --max-restarts "$steps")
run="$work/run"
declare -A pid

start_node() {  # host index
  ip netns exec "${id}h$1" dotnet "$node_host" --seed-nodes "$seed" --hostname "10.233.0.$(( $1 + 1 ))" --port 4053 \
    --join-timeout 60 --data-port 7000-7001 >>"$work/w$1.log" 2>&1 &
  pid[$1]=$!
}
steps_done() { [[ -f "$run/metrics.jsonl" ]] && wc -l < "$run/metrics.jsonl" || echo 0; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
# The dotnet process inside "ip netns exec": the launcher execs it, so it is the same pid.
fail() { echo "soak: $*" >&2; echo "--- coordinator" >&2; tail -40 "$work/coordinator.log" >&2; exit 1; }

ip netns exec "${id}h0" dotnet "$coordinator" train --cluster --seed-nodes "$seed" --hostname 10.233.0.1 --port 4053 \
  --worker-wait 60 --out "$run" "${job[@]}" >"$work/coordinator.log" 2>&1 &
coordinator_pid=$!
started=$(date +%s)
sleep 3
start_node 1; start_node 2
until grep -q "starting workers" "$work/coordinator.log"; do sleep 0.2; (( $(date +%s) - started < 60 )) || fail "the workers were never placed"; done
start_node 3

next=100; faulted=1; warm_coordinator=0; warm_spare=0; faults=0
declare -A heal_at=() restart=()
while kill -0 "$coordinator_pid" 2>/dev/null; do
  now=$(date +%s)
  (( now - started < limit )) || fail "the job did not end within $limit s (a hang)"
  done_steps=$(steps_done)
  # Warm: after the first fault has moved a rank onto host 3 and 90 steps more have run there.
  if (( done_steps >= 190 && warm_coordinator == 0 )); then
    warm_coordinator=$(rss_kib "$coordinator_pid"); warm_spare=$(rss_kib "${pid[3]}")
  fi
  if (( done_steps >= next && next < steps )); then
    host=$faulted; faulted=$(( 3 - faulted ))
    if [[ -n ${heal_at[$host]:-} || -n ${restart[$host]:-} ]]; then
      echo "step $done_steps: host $host is still cut off or restarting; no fault this time" >&2
    elif (( next % 300 == 0 )); then
      echo "step $done_steps: cutting host $host off for 20 s" >&2
      ip -n "${id}sw" link set "p$host" down
      heal_at[$host]=$(( now + 20 ))
      faults=$(( faults + 1 ))
    else
      echo "step $done_steps: kill -9 of host $host's node-host" >&2
      kill -9 "${pid[$host]}"; wait "${pid[$host]}" 2>/dev/null || true
      start_node "$host"
      faults=$(( faults + 1 ))
    fi
    next=$(( next + 100 ))
  fi
  for host in "${!heal_at[@]}"; do
    if (( now >= heal_at[$host] )); then
      ip -n "${id}sw" link set "p$host" up
      unset "heal_at[$host]"; restart[$host]=$(( now + 30 ))
    fi
  done
  for host in "${!restart[@]}"; do
    # Cut off as the minority, the node downed itself and stopped; one still running 30 s after the cut ended is killed.
    if ! kill -0 "${pid[$host]}" 2>/dev/null || (( now >= restart[$host] )); then
      kill -9 "${pid[$host]}" 2>/dev/null || true; wait "${pid[$host]}" 2>/dev/null || true
      start_node "$host"; unset "restart[$host]"
    fi
  done
  if (( done_steps >= steps - 50 && warm_coordinator > 0 )); then
    end_coordinator=$(rss_kib "$coordinator_pid" 2>/dev/null || echo "${end_coordinator:-0}")
    end_spare=$(rss_kib "${pid[3]}" 2>/dev/null || echo "${end_spare:-0}")
  fi
  sleep 0.2
done
wait "$coordinator_pid" || fail "the job failed"
grep -q "done: $steps steps" "$work/coordinator.log" || fail "the job did not report $steps steps"

echo "reference run without faults..." >&2
env -u DISTGRAD_TLS_CERT -u DISTGRAD_TLS_KEY -u DISTGRAD_TLS_CA dotnet "$coordinator" train --local-nodes 2 --out "$work/reference" "${job[@]}" >"$work/reference.log" 2>&1 || fail "the reference run failed"
cmp -s "$run/final.safetensors" "$work/reference/final.safetensors" || fail "final.safetensors differs from the run without faults"

python3 - "$steps" "$faults" "$(( $(date +%s) - started ))" "$warm_coordinator" "${end_coordinator:-0}" "$warm_spare" "${end_spare:-0}" "$run/summary.json" <<'PY'
import json, sys
steps, faults, seconds, wc, ec, ws, es, summary = sys.argv[1:]
s = json.load(open(summary))
ok = True
for name, warm, end in (("coordinator", int(wc), int(ec)), ("untouched node-host", int(ws), int(es))):
    change = (end - warm) / warm
    print(f"{name}: RSS {warm / 1024:.0f} MiB after warm-up, {end / 1024:.0f} MiB at the end ({change:+.1%})")
    ok &= abs(change) <= 0.10
print(f"{steps} steps, {faults} faults, {s['recoveries']} recoveries, {seconds} s; final.safetensors byte-equal to the run without faults")
sys.exit(0 if ok else 1)
PY
