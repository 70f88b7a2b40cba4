#!/usr/bin/env bash
# bench/profile.sh SYSTEM [SCENARIO] [farad bench run options...]
#
# Where the CPU, the context switches and the syscalls go, per thread, for one system under one
# load scenario (default: latency at 10,000 msg/s): starts the server on 127.0.0.1 (farad, nats or
# redis), runs `farad bench run` against it, and counts with `perf stat --per-thread` over 3 s of the
# measured phase, for the server process and for the harness JVM (publisher and subscriber clients).
# Divide by the messages in those 3 s (rate x 3 for the latency scenario) for per-message figures.
# Needs perf (linux-perf) and the jars built by bench/compare.sh. Stops what it starts.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sys="${1:?usage: bench/profile.sh farad|nats|redis [scenario] [run options]}"
scenario="${2:-latency}"
shift $(( $# >= 2 ? 2 : 1 ))
port=$(( 30000 + RANDOM % 20000 ))
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT

case "$sys" in
  farad) java -jar "$root/cli/target/farad.jar" server --bind 127.0.0.1 --port "$port" >/dev/null 2>&1 &
         uri="tcp://127.0.0.1:$port/amps/json" ;;
  nats)  nats-server -a 127.0.0.1 -p "$port" >/dev/null 2>&1 & uri="nats://127.0.0.1:$port" ;;
  redis) redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no >/dev/null 2>&1 &
         uri="redis://127.0.0.1:$port" ;;
  *) echo "profile.sh: unknown system $sys" >&2; exit 2 ;;
esac
server=$!; pids+=("$server")
sleep 2
java -jar "$root/bench/target/farad-bench.jar" run --system "$sys" --uri "$uri" -s "$scenario" \
  --warmup PT3S --duration PT6S "$@" >"/tmp/farad-profile-$$.txt" 2>&1 &
client=$!; pids+=("$client")
sleep 5.5

# perf stat --per-thread on one process for $2 seconds, summed by thread name (comm, 15 characters).
per_thread() {
  local pid=$1 label=$2
  declare -A name
  local t
  for t in /proc/"$pid"/task/*; do name[$(basename "$t")]=$(cat "$t/comm" 2>/dev/null || echo gone); done
  perf stat --per-thread -x, -e task-clock,context-switches,raw_syscalls:sys_enter -p "$pid" -- sleep 3 2>&1 >/dev/null |
  while IFS=, read -r thr val _ ev _; do
    tid=${thr##*-}; [[ "$tid" =~ ^[0-9]+$ ]] || continue
    echo "${name[$tid]:-other},$ev,$val"
  done | awk -F, -v L="$label" '
    { k=$1; if ($2 ~ /task-clock/) { c[k]+=$3; tc+=$3 } else if ($2 ~ /context/) { x[k]+=$3; tx+=$3 } else { s[k]+=$3; ts+=$3 } }
    END { for (k in c) if (c[k] > 20) printf "%-14s %-16s cpu_ms=%6.0f ctxsw=%7d syscalls=%7d\n", L, k, c[k], x[k], s[k];
          printf "%-14s %-16s cpu_ms=%6.0f ctxsw=%7d syscalls=%7d\n", L, "TOTAL", tc, tx, ts }' | sort
}
per_thread "$server" "$sys-server" &
counting=$!
per_thread "$client" "$sys-harness"
wait "$counting" || true
wait "$client" || true
grep -E "^$sys " "/tmp/farad-profile-$$.txt" || cat "/tmp/farad-profile-$$.txt"
rm -f "/tmp/farad-profile-$$.txt"
