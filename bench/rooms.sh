#!/usr/bin/env bash
# One room of 50 users against the lobby of 50, and 10 rooms of 50, with `howdy bench` (the C
# hcpload knows no rooms). Each run gets a fresh server on CPU 0, started as compare.sh starts
# Howdy; the bench runs on CPU 1. RUNS rounds alternate the cases; prints each case's medians and
# the ratios room-of-50 / lobby-of-50 of deliveries/s and of the server's CPU time per delivery
# (the JavaScript generator tires before the lobby does: then only the latter compares the
# servers). Lines go to bench/results-rooms-*.jsonl.
#
#   bash bench/rooms.sh [SECONDS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-5}
RUNS=${2:-3}
PORT=${PORT:-21002}
OUT=bench/results-rooms-$(date +%Y%m%d-%H%M%S).jsonl
[ -f dist/cli/main.js ] || npm run build --silent
SERVER=
trap '[ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null' EXIT

run() { # label, howdy bench args...
  local label=$1 line; shift
  taskset -c 0 bin/howdy.js server --port "$PORT" --no-http --ephemeral --log-format json --log-level warn \
    --msg-rate 10000000 --msg-burst 10000000 >/tmp/howdy-rooms-bench.log 2>&1 &
  SERVER=$!; sleep 1.5
  # a run that loses deliveries exits 1: its line still says so, and the summary counts it
  line=$(taskset -c 1 node dist/cli/main.js bench "127.0.0.1:$PORT" --secs "$SECS" --json --server-pid "$SERVER" "$@") || true
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
  echo "{\"run\":\"$label\",${line#\{}" | tee -a "$OUT"
}

for _ in $(seq "$RUNS"); do
  run lobby-50 --workload broadcast --clients 50
  run room-50 --workload rooms --rooms 1 --clients 50
  run rooms-10x50 --workload rooms --rooms 10 --clients 500
done

node - "$OUT" <<'JS'
const runs = require('fs').readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const r of runs) r.server_ns_per_delivery = Math.round((r.server_cpu * 1e9) / r.deliveries_per_s);
const of = (label, key) => median(runs.filter((r) => r.run === label).map((r) => r[key]));
console.log('| case | deliveries/s | messages/s | p50 / p99 µs | server CPU | server ns/delivery | generator CPU |\n|---|---|---|---|---|---|---|');
for (const label of ['lobby-50', 'room-50', 'rooms-10x50']) {
  console.log(`| ${label} | ${(of(label, 'deliveries_per_s') / 1e6).toFixed(2)} M | ${Math.round(of(label, 'messages_per_s'))} | ` +
    `${of(label, 'lat_p50_us')} / ${of(label, 'lat_p99_us')} | ${of(label, 'server_cpu')} | ${of(label, 'server_ns_per_delivery')} | ${of(label, 'generator_cpu')} |`);
}
const ratio = (key) => (of('room-50', key) / of('lobby-50', key)).toFixed(2);
console.log(`room-50 / lobby-50 (medians): deliveries/s ${ratio('deliveries_per_s')}×, server CPU per delivery ${ratio('server_ns_per_delivery')}×`);
const wrong = runs.reduce((n, r) => n + r.lost + r.corrupt + r.duplicates + r.reordered + r.misrouted, 0);
console.log(`lost, corrupt, duplicate, reordered or misrouted deliveries over all runs: ${wrong}`);
JS
