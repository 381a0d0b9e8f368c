#!/usr/bin/env bash
# Coordinator failover: a coordinator process killed with kill -9 mid-run, its --standby trains again from the last
# checkpoint (tests/DistGrad.Distributed.Tests/Processes/FaultToleranceProcessTests.cs, coordinator and two
# node-host processes on loopback, D = 2). Runs that test N times and prints the seconds from the kill to the
# standby's resume, median with min–max:
#   bash bench/distributed/failover.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
dotnet build tests/DistGrad.Distributed.Tests -c Release -v quiet -nologo >/dev/null
for run in $(seq "$runs"); do
  echo "run $run of $runs..." >&2
  dotnet test tests/DistGrad.Distributed.Tests -c Release --no-build \
      --filter "FullyQualifiedName~A_standby_coordinator_takes_the_job_over_when_the_coordinator_is_killed" \
      --logger "console;verbosity=detailed" \
    | grep -o "the standby trained again [0-9.]* s later" | grep -o "[0-9][0-9.]*" >> "$out" \
    || { echo "run $run: the test failed or printed no take-over time" >&2; exit 1; }
done
python3 - "$out" <<'PY'
import statistics, sys
s = [float(l) for l in open(sys.argv[1]) if l.strip()]
print(f"| the coordinator killed with kill -9, a --standby takes over | {statistics.median(s):.1f} s ({min(s):.1f}–{max(s):.1f}, {len(s)} runs) |")
PY
