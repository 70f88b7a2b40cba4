#!/usr/bin/env bash
# bench/compare.sh: Farad side by side with NATS, Redis pub/sub and Mosquitto (MQTT), one command.
#
#   bench/compare.sh [--rounds N] [--warmup PT2S] [--duration PT5S] [--systems "farad nats redis mqtt"]
#                    [--rate 10000] [--no-install] [--out bench/results]
#
# What it does, unattended (about 7 minutes with the defaults; bounded well under 15):
#   1. installs the peers with apt if they are missing (nats-server, redis-server, mosquitto);
#   2. builds the Farad server (cli/target/farad.jar) and the load tool (bench/target/farad-bench.jar);
#   3. starts each server on 127.0.0.1 on a free port, with the settings below;
#   4. runs scenarios 1-3 (1->1 throughput, latency at a fixed rate, 1->10 fan-out) against each
#      system through the SAME harness (farad bench run), a fresh client JVM per system and round,
#      the systems in a different order each round so no system always runs first or last;
#   5. writes bench/results/results.md (median of the rounds), throughput.png, latency.png, the raw
#      JSON lines (raw.jsonl) and machine.txt; stops everything it started, even on failure or ^C.
#
# Servers (all on 127.0.0.1, nothing is exposed):
#   farad     java -jar cli/target/farad.jar server --bind 127.0.0.1 --port P (JVM defaults plus
#             $FARAD_SERVER_JAVA_OPTS); epoll transport, one engine thread.
#   nats      nats-server -a 127.0.0.1 -p P (defaults: no persistence, core pub/sub).
#   redis     redis-server --bind 127.0.0.1 --port P --save '' --appendonly no (no persistence).
#   mosquitto mosquitto -c <file> with "listener P 127.0.0.1" and "allow_anonymous true" (defaults otherwise).
#
# Clients (each peer's recommended Java client; details in the driver classes under
# bench/src/main/java/dev/farad/bench/load/):
#   farad  Farad's own Client: fire-and-forget publish, handler subscriptions, one connection each.
#   nats   jnats (io.nats:jnats), default Options; a Dispatcher per subscriber; payload copied per
#          publish because jnats keeps the array until its writer thread sends it.
#   redis  Jedis (redis.clients:jedis); the publisher PIPELINES PUBLISH (a plain PUBLISH waits one
#          round trip per message) and syncs every 256 publishes or when the harness waits; each
#          subscriber is a SUBSCRIBE on its own connection and thread.
#   mqtt   Eclipse Paho MqttAsyncClient, MQTT 3.1.1, QoS 0, clean session, maxInflight 65535,
#          in-memory persistence; payload copied per publish (Paho keeps it until sent).
#
# Harness settings (same for every system): 128-byte JSON payloads, window 8192 messages (the
# publisher never runs more than 8192 messages ahead of the slowest subscriber), warm-up then a
# measured interval per scenario, latency measured from each message's scheduled send time.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Hard bound: whatever is still to run after this many seconds is skipped (the report says so by
# having fewer rounds), so the whole script stays under 15 minutes even when a system hangs.
budget_s=${FARAD_COMPARE_BUDGET_S:-780}
script_start=$(date +%s)
rounds=3
warmup=PT2S
duration=PT5S
rate=10000
systems="farad nats redis mqtt"
install=1
out="$root/bench/results"

while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --systems) systems="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --no-install) install=0; shift ;;
    -h|--help) sed -n '2,40p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

mkdir -p "$out"
work="$(mktemp -d /tmp/farad-compare.XXXXXX)"
pids=()

stop_all() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
trap 'stop_all; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

log() { echo "compare.sh: $*" >&2; }

# ---------------------------------------------------------------- 1. install the peers
need=()
for s in $systems; do
  case "$s" in
    nats) command -v nats-server >/dev/null || need+=(nats-server) ;;
    redis) command -v redis-server >/dev/null || need+=(redis-server) ;;
    mqtt) command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto) ;;
  esac
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$install" = 0 ]; then
    log "missing ${need[*]} and --no-install given"; exit 1
  fi
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  log "installing ${need[*]} with apt"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
PATH="$PATH:/usr/sbin:/sbin"

# ---------------------------------------------------------------- 2. build
log "building the server and the load tool"
if ! "$root/mvnw" -B -q -o -DskipTests -f "$root/pom.xml" -pl cli,bench -am package >"$work/build.log" 2>&1 \
   && ! "$root/mvnw" -B -q -DskipTests -f "$root/pom.xml" -pl cli,bench -am package >"$work/build.log" 2>&1; then
  cat "$work/build.log" >&2; exit 1
fi
bench_jar="$root/bench/target/farad-bench.jar"
server_jar="$root/cli/target/farad.jar"

# ---------------------------------------------------------------- 3. start the servers
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 30000 ))
    if port_free "$p"; then echo "$p"; return; fi
  done
  log "no free port found"; exit 1
}
wait_port() { # port name pid
  for _ in $(seq 1 300); do
    if ! port_free "$1"; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then log "$2 exited at start; its log:"; cat "$work/$2.log" >&2; exit 1; fi
    sleep 0.1
  done
  log "$2 did not listen on $1 within 30 s"; exit 1
}

declare -A uri
for s in $systems; do
  p=$(free_port)
  case "$s" in
    farad)
      # shellcheck disable=SC2086
      java ${FARAD_SERVER_JAVA_OPTS:-} -jar "$server_jar" server --bind 127.0.0.1 --port "$p" >"$work/farad.log" 2>&1 &
      uri[farad]="tcp://127.0.0.1:$p/amps/json" ;;
    nats)
      nats-server -a 127.0.0.1 -p "$p" >"$work/nats.log" 2>&1 &
      uri[nats]="nats://127.0.0.1:$p" ;;
    redis)
      redis-server --bind 127.0.0.1 --port "$p" --save '' --appendonly no --daemonize no >"$work/redis.log" 2>&1 &
      uri[redis]="redis://127.0.0.1:$p" ;;
    mqtt)
      printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$p" >"$work/mosquitto.conf"
      mosquitto -c "$work/mosquitto.conf" >"$work/mqtt.log" 2>&1 &
      uri[mqtt]="tcp://127.0.0.1:$p" ;;
    *) log "unknown system $s (farad, nats, redis, mqtt)"; exit 2 ;;
  esac
  pid=$!
  pids+=("$pid")
  wait_port "$p" "$s" "$pid"
  log "$s listening at ${uri[$s]} (pid $pid)"
done

# ---------------------------------------------------------------- 4. rounds
# One unrecorded pass per system first: a JVM server (Farad) compiles its hot paths in the first
# seconds, and the C servers do not need to, so measuring a cold JVM would be unfair to it.
for s in $systems; do
  log "warming up $s (not recorded)"
  timeout 60 java -Xmx1g -jar "$bench_jar" run --system "$s" --uri "${uri[$s]}" --scenarios throughput,fanout \
    --warmup PT3S --duration PT2S >/dev/null 2>&1 || log "$s warm-up failed; continuing"
done
raw="$out/raw.jsonl"
: >"$raw"
read -r -a order <<<"$systems"
n=${#order[@]}
started=$(date +%s)
load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$rounds"); do
  for i in $(seq 0 $((n - 1))); do
    s="${order[$(( (i + r - 1) % n ))]}"
    if [ $(( $(date +%s) - script_start )) -gt "$budget_s" ]; then
      log "time budget of $budget_s s used up: skipping $s in round $r"; continue
    fi
    log "round $r/$rounds: $s"
    timeout 90 java -Xmx1g -jar "$bench_jar" run --system "$s" --uri "${uri[$s]}" \
      --scenarios throughput,latency,fanout --warmup "$warmup" --duration "$duration" --rate "$rate" \
      --round "$r" --json "$raw" || log "$s round $r failed (exit $?); continuing"
  done
done
log "measured for $(( $(date +%s) - started )) s"

# ---------------------------------------------------------------- 5. report
{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc)"
  echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "kernel: $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "nats-server: $(nats-server --version 2>/dev/null || echo '?')"
  echo "redis-server: $(redis-server --version 2>/dev/null | awk '{print $3}')"
  echo "mosquitto: $(dpkg-query -W -f='${Version}' mosquitto 2>/dev/null || echo '?')"
  echo "load average (1, 5, 15 min) before the rounds: $load_at_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$out/machine.txt"
machine="$(grep -E '^(cpu|java):' "$out/machine.txt" | cut -d: -f2- | paste -sd';' | sed 's/^ //')"
java -jar "$bench_jar" report "$raw" --out "$out" \
  --title "Machine: ${machine}. Command: \`bench/compare.sh --rounds $rounds --warmup $warmup --duration $duration --rate $rate\` ($(date -u +%Y-%m-%d))."
