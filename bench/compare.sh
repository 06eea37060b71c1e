#!/usr/bin/env bash
# Side-by-side measurement of Howdy against InspIRCd 3 and the C reference server fanout-ref,
# with the C load generator hcpload (../shared/loadgen). Server on CPU 0, generator on CPU 1.
# Prints one JSON line per run (bench/results-*.jsonl) and a summary table with ratios.
#
#   bash bench/compare.sh [SECONDS]          # needs: gcc, taskset, inspircd (Debian package)
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-5}
LOADGEN_SRC=${LOADGEN_SRC:-../shared/loadgen}
TOOLS=${TOOLS:-/tmp/hcp}
OUT=bench/results-$(date +%Y%m%d-%H%M%S).jsonl
make -s -C "$LOADGEN_SRC" OUT="$TOOLS"
command -v inspircd >/dev/null || { echo "install inspircd: apt-get install inspircd" >&2; exit 1; }
[ -f dist/cli/main.js ] || npm run build --silent
PORT=${PORT:-21002}
IRCPORT=${IRCPORT:-21667}
HCPLOAD="taskset -c 1 $TOOLS/hcpload --secs $SECS --warmup 1"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

start_howdy() {
  taskset -c 0 bin/howdy.js server --port "$PORT" --no-http --ephemeral --log-format json --msg-rate 10000000 --msg-burst 10000000 >/tmp/howdy-bench.log 2>&1 &
  SERVER=$!; pids+=("$SERVER"); sleep 1.5
}
start_ref() { taskset -c 0 "$TOOLS/fanout-ref" --port "$PORT" & SERVER=$!; pids+=("$SERVER"); sleep 0.5; }
start_irc() {
  sed "s/port=\"6667\"/port=\"$IRCPORT\"/" "$LOADGEN_SRC/conf/inspircd.conf" >/tmp/inspircd-bench.conf
  taskset -c 0 inspircd --nofork --nopid --runasroot --config=/tmp/inspircd-bench.conf >/tmp/inspircd-bench.log 2>&1 &
  SERVER=$!; pids+=("$SERVER"); sleep 2
}
stop() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; sleep 0.5; }
run() { # label, hcpload args...
  local label=$1; shift
  local line
  line=$($HCPLOAD --server-pid "$SERVER" "$@")
  echo "{\"run\":\"$label\",${line#\{}" | tee -a "$OUT"
}

start_howdy
run howdy-broadcast --proto framed --port "$PORT" --workload broadcast --clients 50 --max --window 16
run howdy-whisper --proto framed --port "$PORT" --workload whisper --clients 200 --max --window 16
run howdy-lat1000 --proto framed --port "$PORT" --workload broadcast --clients 50 --rate 1000
run howdy-lat5000 --proto framed --port "$PORT" --workload broadcast --clients 50 --rate 5000
stop
start_howdy
run howdy-connect2000 --proto framed --port "$PORT" --workload connect --clients 2000 --conn-par 64 --hold 1
stop
start_howdy
run howdy-idle10000 --proto framed --port "$PORT" --workload connect --clients 10000 --conn-par 64 --hold 2
stop

start_irc
run irc-broadcast --proto irc --conn-par 256 --port "$IRCPORT" --workload broadcast --clients 50 --max --window 16
run irc-whisper --proto irc --conn-par 256 --port "$IRCPORT" --workload whisper --clients 200 --max --window 16
stop

start_ref
run ref-broadcast --proto framed --port "$PORT" --workload broadcast --clients 50 --max --window 16
run ref-lat1000 --proto framed --port "$PORT" --workload broadcast --clients 50 --rate 1000
run ref-lat5000 --proto framed --port "$PORT" --workload broadcast --clients 50 --rate 5000
stop

node bench/summarise.mjs "$OUT"
