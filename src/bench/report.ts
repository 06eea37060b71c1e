import type { HistoryBenchResult, Timings } from './history.js';
import type { BenchResult } from './run.js';

/** Generator CPU above which the generator, not the server, is the likely limit. */
export const GENERATOR_LIMIT = 0.9;

export function failed(r: BenchResult): boolean {
  const c = r.counts;
  const presenceWrong = r.options.workload === 'connect' && r.options.proto !== 'irc' && r.presenceExact !== true;
  return c.lost + c.corrupt + c.duplicates + c.reordered + c.misrouted > 0 || presenceWrong;
}

export function toJson(r: BenchResult): object {
  const { options: o, counts: c } = r;
  return {
    proto: o.proto, workload: o.workload, clients: o.clients, rooms: o.workload === 'rooms' ? o.rooms : null, size: o.size,
    load: o.rate === undefined && o.workload !== 'churn' ? 'closed' : 'open', window: o.window, rate: o.rate ?? null,
    secs: r.duration, sent: c.sent, delivered: c.delivered,
    lost: c.lost, corrupt: c.corrupt, duplicates: c.duplicates, reordered: c.reordered, misrouted: c.misrouted,
    messages_per_s: Math.round(r.messagesPerSecond), deliveries_per_s: Math.round(r.deliveriesPerSecond),
    lat_p50_us: Math.round(r.latencyUs.p50), lat_p99_us: Math.round(r.latencyUs.p99), lat_max_us: Math.round(r.latencyUs.max),
    registrations_per_s: Math.round(r.registrationsPerSecond), churn_joins: r.churnJoins,
    generator_cpu: round2(r.generatorCpu), server_cpu: r.serverCpu === undefined ? null : round2(r.serverCpu),
    server_rss_kb: r.serverRssKb ?? null, server_hwm_kb: r.serverHwmKb ?? null, server_rss_before_kb: r.serverRssBeforeKb ?? null,
    generator_limited: r.generatorCpu > GENERATOR_LIMIT,
    presence_settled_ms: r.presenceSettledMs === undefined ? null : Math.round(r.presenceSettledMs),
    presence_exact: r.presenceExact ?? null,
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const n = (x: number) => Math.round(x).toLocaleString('en');
const ms = (us: number) => (us / 1000).toFixed(2);
const mib = (kb: number) => `${(kb / 1024).toFixed(1)} MiB`;

/** The human table printed at the end of a run. */
export function toTable(r: BenchResult): string {
  const { options: o, counts: c } = r;
  const load = o.rate !== undefined ? `open loop at ${n(o.rate)} msg/s` : o.workload === 'connect' ? `held ${o.hold} s` : `closed loop, window ${o.window}`;
  const rows: Array<[string, string]> = [['registrations/s', n(r.registrationsPerSecond)]];
  if (o.workload !== 'connect') {
    rows.push(
      ['deliveries/s', n(r.deliveriesPerSecond)],
      ['messages/s', n(r.messagesPerSecond)],
      ['latency p50 / p99 / max', `${ms(r.latencyUs.p50)} / ${ms(r.latencyUs.p99)} / ${ms(r.latencyUs.max)} ms`],
      ['lost / corrupt / duplicate / reordered', `${c.lost} / ${c.corrupt} / ${c.duplicates} / ${c.reordered}`],
    );
    if (o.workload === 'rooms') rows.push(["delivered outside the sender's room", n(c.misrouted)]);
    rows.push(['generator CPU', `${r.generatorCpu.toFixed(2)} cores`]);
    if (o.workload === 'churn') rows.push(['users joined and left', n(r.churnJoins)]);
  }
  if (r.serverCpu !== undefined) rows.push(['server CPU', `${r.serverCpu.toFixed(2)} cores`]);
  if (r.serverRssKb !== undefined) {
    rows.push(['server memory (RSS / peak)', `${mib(r.serverRssKb)} / ${mib(r.serverHwmKb!)}`]);
    if (o.workload === 'connect' && r.serverRssBeforeKb !== undefined) {
      rows.push(['memory per idle user (RSS growth / users)', `${n(((r.serverRssKb - r.serverRssBeforeKb) * 1024) / o.clients)} B`]);
    }
  }
  if (o.workload === 'connect' && o.proto !== 'irc') {
    rows.push([
      'every user sees every user after',
      r.presenceSettledMs === undefined ? 'never (10 s)' : `${n(r.presenceSettledMs)} ms from the first connection${r.presenceExact ? ' (sampled lists exact)' : ' (a sampled list was WRONG)'}`,
    ]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [
    `howdy bench: ${o.workload} over ${o.proto}, ${o.clients} users${o.workload === 'rooms' ? ` in ${o.rooms} rooms` : ''}, ${o.size}-byte texts, ${load}` +
      (o.workload === 'connect' ? '' : `, ${o.secs} s after ${o.warmup} s warm-up`),
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
  ];
  if (o.workload !== 'connect' && r.generatorCpu > GENERATOR_LIMIT) {
    lines.push(`  note: the generator used ${r.generatorCpu.toFixed(2)} cores: it, not the server, was the limit; the figures are a lower bound.`);
  }
  if (failed(r)) {
    lines.push(`  FAILED: some deliveries were lost, corrupt, duplicated, out of order${o.workload === 'rooms' ? " or outside the sender's room" : ''}.`);
    if (c.lost > 0) lines.push("  (a Howdy server's flood control drops what exceeds --msg-rate: raise it for a capacity test)");
  }
  return lines.join('\n');
}

/** A history run failed when its catch-up brought a message twice, missed one, or mixed their order, or a search missed a word said. */
export function historyFailed(r: HistoryBenchResult): boolean {
  return r.duplicates + r.gaps + r.reordered + r.searchMisses > 0;
}

export function historyJson(r: HistoryBenchResult): object {
  const t = (x: Timings) => ({ p50: round2(x.p50), p99: round2(x.p99), max: round2(x.max) });
  return {
    workload: 'history', stored: r.stored, missed: r.missed, catch_up_ms: Math.round(r.catchUpMs), caught_up: r.caughtUp, live: r.live,
    duplicates: r.duplicates, gaps: r.gaps, reordered: r.reordered, index_lag_ms: Math.round(r.indexLagMs), page_ms: t(r.pageMs), search_ms: t(r.searchMs), search_misses: r.searchMisses,
    server_rss_kb: r.serverRssKb ?? null, server_hwm_kb: r.serverHwmKb ?? null,
  };
}

export function historyTable(r: HistoryBenchResult): string {
  const t = (x: Timings) => `${x.p50.toFixed(2)} / ${x.p99.toFixed(2)} / ${x.max.toFixed(2)} ms`;
  const rows: Array<[string, string]> = [
    ['caught up (logged in, missed ones, live again)', `${n(r.catchUpMs)} ms`],
    ['by the catch-up / live meanwhile', `${n(r.caughtUp)} / ${n(r.live)}`],
    ['duplicate / missing / out of order', `${r.duplicates} / ${r.gaps} / ${r.reordered}`],
    ['search index complete after the last message', `${n(r.indexLagMs)} ms`],
    ['page of 100 p50 / p99 / max', t(r.pageMs)],
    ['search p50 / p99 / max', t(r.searchMs)],
  ];
  if (r.serverRssKb !== undefined) rows.push(['server memory (RSS / peak)', `${mib(r.serverRssKb)} / ${mib(r.serverHwmKb!)}`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [
    `howdy bench: history, ${n(r.stored)} messages stored, ${n(r.missed)} missed while away`,
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
  ];
  if (historyFailed(r)) lines.push(`  FAILED: the catch-up was not exactly once and in order${r.searchMisses > 0 ? `, or ${r.searchMisses} searches missed a word said` : ''}.`);
  return lines.join('\n');
}
