// Reads one compare.sh results file and prints the side-by-side table with ratios (Markdown).
import { readFileSync } from 'node:fs';

const runs = Object.fromEntries(
  readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((r) => [r.run, r]),
);
const m = (x) => (x / 1e6).toFixed(2);
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : 'n/a');
const g = (run, key) => runs[run]?.[key];
const rows = [
  ['broadcast N=50, 64 B, W=16: deliveries/s (M)', m(g('howdy-broadcast', 'deliveries_per_s')), m(g('irc-broadcast', 'deliveries_per_s')), ratio(g('howdy-broadcast', 'deliveries_per_s'), g('irc-broadcast', 'deliveries_per_s')), '≥ 2.5×'],
  ['whisper N=200, 64 B, W=16: deliveries/s (M)', m(g('howdy-whisper', 'deliveries_per_s')), m(g('irc-whisper', 'deliveries_per_s')), ratio(g('howdy-whisper', 'deliveries_per_s'), g('irc-whisper', 'deliveries_per_s')), '≥ 2.0×'],
];
console.log('| measure | Howdy | InspIRCd 3 | ratio | target |\n|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log('\n| latency, broadcast N=50 | Howdy p99 (µs) | fanout-ref p99 (µs) | ratio | target |\n|---|---|---|---|---|');
for (const rate of [1000, 5000]) {
  const h = g(`howdy-lat${rate}`, 'lat_p99_us');
  const r = g(`ref-lat${rate}`, 'lat_p99_us');
  console.log(`| ${rate} msg/s (${(rate * 49).toLocaleString('en')} deliveries/s) | ${h} | ${r} | ${ratio(h, r)} | ≤ 1.3×, < 1000 µs |`);
}
console.log(`\nfanout-ref broadcast: ${m(g('ref-broadcast', 'deliveries_per_s'))} M deliveries/s (generator CPU ${g('ref-broadcast', 'gen_cpu')})`);
console.log(`registrations (2000 users, 64 at a time): ${g('howdy-connect2000', 'registrations_per_s')}/s (target ≥ 10 000/s)`);
const idle = runs['howdy-idle10000'];
if (idle) console.log(`10 000 idle users: VmHWM ${(idle.server_vmhwm_kb / 1024).toFixed(1)} MiB (target < 150 MiB), VmRSS ${(idle.server_vmrss_kb / 1024).toFixed(1)} MiB`);
const lost = Object.values(runs).reduce((n, r) => n + (r.lost_or_corrupt ?? 0) + (r.dups ?? 0) + (r.gaps ?? 0), 0);
console.log(`lost, corrupt, duplicate or out-of-order deliveries over all runs: ${lost}`);
for (const r of Object.values(runs)) if (r.gen_cpu > 0.9) console.log(`note: in ${r.run} the generator was the limit (gen_cpu ${r.gen_cpu})`);
