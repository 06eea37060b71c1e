#!/usr/bin/env bash
# History's cost side by side (issue: history on stays ≥ 2.0× InspIRCd on broadcast, ≥ 1× on
# whispers): InspIRCd 3, Howdy with history on (the default: a data folder on disk) and Howdy
# `--no-history`, each fresh on CPU 0, the C generator hcpload on CPU 1; broadcast N=50 and whisper
# N=200, window 16, 64-byte texts. RUNS rounds alternate the three; prints each run's
# deliveries/s, then per workload the medians and the ratios on / InspIRCd and on / off. Lines go
# to bench/results-history-*.jsonl. SERVER_CPUS=0,1 lets each server use both cores (hcpload stays
# on CPU 1): Howdy's history writer then runs beside its live path, InspIRCd has one thread anyway.
#
#   bash bench/history.sh [SECONDS] [RUNS]        # needs: gcc, taskset, inspircd (Debian package)
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
RUNS=${2:-2}
LOADGEN_SRC=${LOADGEN_SRC:-../shared/loadgen}
TOOLS=${TOOLS:-/tmp/hcp}
PORT=${PORT:-21002}
IRCPORT=${IRCPORT:-21667}
SERVER_CPUS=${SERVER_CPUS:-0}
OUT=bench/results-history-$(date +%Y%m%d-%H%M%S).jsonl
make -s -C "$LOADGEN_SRC" OUT="$TOOLS"
command -v inspircd >/dev/null || { echo "install inspircd: apt-get install inspircd" >&2; exit 1; }
[ -f dist/cli/main.js ] || npm run build --silent
DATA=$(mktemp -d)
SERVER=
trap '[ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null; rm -rf "$DATA"' EXIT

start() { # irc | on | off
  case $1 in
    irc)
      sed "s/port=\"6667\"/port=\"$IRCPORT\"/" "$LOADGEN_SRC/conf/inspircd.conf" >/tmp/inspircd-history-bench.conf
      taskset -c "$SERVER_CPUS" inspircd --nofork --nopid --runasroot --config=/tmp/inspircd-history-bench.conf >/tmp/inspircd-history-bench.log 2>&1 &
      SERVER=$!; sleep 2; return ;;
    on) rm -rf "$DATA"; mkdir -p "$DATA"; set -- --data "$DATA" ;;
    off) set -- --ephemeral --no-history ;;
  esac
  taskset -c "$SERVER_CPUS" bin/howdy.js server --port "$PORT" --no-http "$@" --log-format json \
    --msg-rate 10000000 --msg-burst 10000000 >/tmp/howdy-history-bench.log 2>&1 &
  SERVER=$!; sleep 2
}

run() { # workload clients server
  local line
  start "$3"
  if [ "$3" = irc ]; then set -- "$1" "$2" "$3" --proto irc --conn-par 256 --port "$IRCPORT"; else set -- "$1" "$2" "$3" --proto framed --port "$PORT"; fi
  line=$(taskset -c 1 "$TOOLS/hcpload" --secs "$SECS" --warmup 1 --server-pid "$SERVER" --workload "$1" --clients "$2" --max --window 16 "${@:4}")
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=; sleep 0.5
  echo "{\"run\":\"$1-$3\",${line#\{}" | tee -a "$OUT"
}

for round in $(seq "$RUNS"); do
  # the order turns each round, so no server always runs first or last
  if [ $((round % 2)) = 1 ]; then order="irc on off"; else order="off on irc"; fi
  for s in $order; do run broadcast 50 "$s"; done
  for s in $order; do run whisper 200 "$s"; done
done

node - "$OUT" <<'JS'
const runs = require('fs').readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const of = (label) => runs.filter((r) => r.run === label).map((r) => r.deliveries_per_s);
const fmt = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : `${Math.round(x / 1e3)} k`);
console.log('| workload | InspIRCd 3 | history on | --no-history | on / InspIRCd | on / off |\n|---|---|---|---|---|---|');
for (const w of ['broadcast', 'whisper']) {
  const [irc, on, off] = ['irc', 'on', 'off'].map((s) => of(`${w}-${s}`));
  const each = (xs) => xs.map(fmt).join(', ');
  const ratios = (a, b) => a.map((x, i) => `${(x / b[i]).toFixed(2)}×`).join(', ');
  console.log(`| ${w} | ${each(irc)} | ${each(on)} | ${each(off)} | ${ratios(on, irc)} (median ${(median(on) / median(irc)).toFixed(2)}×) | ${ratios(on, off)} |`);
}
const wrong = runs.reduce((n, r) => n + (r.lost_or_corrupt ?? 0) + (r.dups ?? 0) + (r.gaps ?? 0), 0);
console.log(`lost, corrupt, duplicate or out-of-order deliveries over all runs: ${wrong}`);
JS
