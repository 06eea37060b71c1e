import { randomBytes } from 'node:crypto';
import { ALL, Capability } from '../protocol/index.js';
import type { ChatClient } from '../client/client.js';
import { connect } from '../client/tcp.js';
import { openPeer, type BenchPeer } from './peers.js';
import { readProcess } from './proc.js';
import { openUsers } from './register.js';
import type { BenchOptions, Progress } from './run.js';
import { makeStampText } from './stamp.js';

/** What the history workload does, besides the users of BenchOptions (docs/protocol.md §11). */
export interface HistoryBenchOptions {
  /** Messages said before the reader's first visit: the history a page and a search look through. */
  stored: number;
  /** Messages said while the reader is away: what its catch-up brings. */
  missed: number;
  /** Messages per second said while the reader catches up (they come to it live). */
  liveRate: number;
  /** Pages of 100 read back from the newest, and searches made. */
  pages: number;
  searches: number;
}

export interface Timings { p50: number; p99: number; max: number }

export interface HistoryBenchResult {
  stored: number;
  missed: number;
  /** From connecting again until the last page of the catch-up came: logged in, caught up, live. */
  catchUpMs: number;
  /** Messages the catch-up brought, and those that came live meanwhile. */
  caughtUp: number;
  live: number;
  /** Ids brought twice (by the catch-up, or by it and live), missing between the last seen and the newest, or out of order. */
  duplicates: number;
  gaps: number;
  reordered: number;
  /** From the last message said until a search found it (the search index trails the history: §11). */
  indexLagMs: number;
  pageMs: Timings;
  searchMs: Timings;
  /** Searches whose word was said but found nothing. */
  searchMisses: number;
  serverRssKb: number | undefined;
  serverHwmKb: number | undefined;
}

const PAGE = 100;
const CATCH_UP_PAGE = 1000;
/** Messages each sender may have on their way (not yet seen by the witness) while the history fills. */
const WINDOW = 16;
/**
 * Pages and searches made before those timed: the first of a server's life compile their code (a few
 * ms each), which a server that has run a while has done; as hcpload's --warmup.
 */
const WARM_UP = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The history workload: users fill the lobby's history (`stored`), a reader who has seen it goes
 * away while `missed` more are said, then comes back and catches up (CATCH_UP, §11) while the chat
 * goes on at `liveRate`; the run checks that every message came once, in order, by the catch-up or
 * live, and times it, and how long the search index then trails. Then the reader pages back through the lobby (HISTORY) and searches it
 * (SEARCH) for words said once (a message's number) and words said in every message. The users are
 * lean bench peers; the reader is the client library over framed HCP/2, as a client uses it.
 */
export async function runHistoryBench(o: BenchOptions, h: HistoryBenchOptions, progress: Progress): Promise<HistoryBenchResult> {
  if (o.proto !== 'framed') throw new Error('the history workload speaks framed HCP/2 (--proto framed)');
  if (o.clients < 2) throw new Error('the history workload needs --clients 2 or more (a witness and senders)');
  const peers = await openUsers(0, o.clients, o.connPar, (i) => openPeer(o.proto, i, o), progress);
  const say = sayer(peers, o.size);
  const name = `reader-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let reader: ChatClient | undefined;
  try {
    reader = await signIn(o, name, password, true);
    await say.fill(h.stored, progress, 'storing');
    const seen = (await reader.history(ALL, { limit: 1 })).messages.at(-1)?.id ?? 0;
    reader.close();
    await say.fill(h.missed, progress, 'missing');

    // back, while the chat goes on
    const live = say.steady(h.liveRate);
    const liveIds: number[] = [];
    const caught: number[] = [];
    const started = performance.now();
    reader = await signIn(o, name, password, false, (id) => liveIds.push(id));
    for (let after = seen, more = true; more; ) {
      const page = await reader.catchUp(after, CATCH_UP_PAGE);
      for (const m of page.messages) caught.push(m.id);
      after = page.messages.at(-1)?.id ?? after;
      more = page.more;
      progress('catching up', caught.length, h.missed);
    }
    const catchUpMs = performance.now() - started;
    await live.stop();
    await sleep(200); // the last live ones on their way
    const check = exactlyOnce(seen, caught, liveIds);
    // the search index may trail the history (§11): how long until it holds the last message said
    const said = say.said;
    const indexWait = performance.now();
    await indexed(reader, said);
    const indexLagMs = performance.now() - indexWait;

    const pageMs: number[] = [];
    let before: number | undefined;
    for (let p = -WARM_UP; p < h.pages; p++) {
      const t0 = performance.now();
      const page = await reader.history(ALL, before === undefined ? { limit: PAGE } : { before, limit: PAGE });
      const took = performance.now() - t0;
      if (!page.more) before = undefined; // round again from the newest
      else before = page.messages[0]!.id;
      if (p < 0) continue;
      pageMs.push(took);
      progress('paging', p + 1, h.pages);
    }

    const searchMs: number[] = [];
    let searchMisses = 0;
    for (let s = -WARM_UP; s < h.searches; s++) {
      // a message's number, said once (any of them, old or new), or the padding every message has
      const word = s % 2 === 0 ? String(1 + Math.floor(Math.random() * said)) : 'x'.repeat(Math.max(1, o.size - String(said).length - 3));
      const t0 = performance.now();
      const hits = await reader.search(word, { conversation: ALL });
      if (s < 0) continue;
      searchMs.push(performance.now() - t0);
      if (hits.length === 0 && s % 2 === 0) searchMisses++;
      progress('searching', s + 1, h.searches);
    }
    const server = o.serverPid ? readProcess(o.serverPid) : undefined;
    return {
      stored: h.stored, missed: h.missed, catchUpMs, caughtUp: caught.length, live: liveIds.length, ...check, indexLagMs,
      pageMs: timings(pageMs), searchMs: timings(searchMs), searchMisses, serverRssKb: server?.rssKb, serverHwmKb: server?.hwmKb,
    };
  } finally {
    await reader?.deleteAccount(password).catch(() => {});
    reader?.close();
    peers.forEach((p) => p.close());
  }
}

/** The reader: logged in with history (a new account the first time), live messages' ids told to `onLive`. */
async function signIn(o: BenchOptions, name: string, password: string, create: boolean, onLive?: (id: number) => void): Promise<ChatClient> {
  const client = await connect(o.host, o.port);
  if (onLive) client.on('message', (m) => m.id !== undefined && onLive(m.id));
  const granted = await client.requestCapabilities([Capability.ACCOUNTS, Capability.HISTORY]);
  if (!granted.includes(Capability.HISTORY)) throw new Error('the server keeps no history (started with --no-history?)');
  if (create) await client.createAccount(password, name);
  else await client.login(name, password);
  return client;
}

/**
 * The senders (every peer but the first, which watches): each message a number of its own, said
 * to the lobby; `fill` says n more as fast as the witness sees them, `steady` at a rate.
 */
function sayer(peers: BenchPeer[], size: number) {
  const [witness, ...senders] = peers;
  let said = 0;
  let seen = 0;
  let wake: (() => void) | undefined;
  witness!.onDeliver = () => {
    seen++;
    wake?.();
  };
  const sayOne = (): BenchPeer => {
    const peer = senders[said % senders.length]!;
    peer.send(-1, makeStampText(++said, 0, size));
    return peer;
  };
  const flushed = (used: Set<BenchPeer>) => {
    for (const p of used) p.flush();
    used.clear();
  };
  return {
    get said() {
      return said;
    },
    async fill(n: number, progress: Progress, phase: string): Promise<void> {
      const until = said + n;
      const used = new Set<BenchPeer>();
      while (seen < until) {
        while (said < until && said - seen < WINDOW * senders.length) used.add(sayOne());
        flushed(used);
        progress(phase, n - (until - seen), n);
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        await new Promise(setImmediate); // a few deliveries at a time, not one wake each
      }
    },
    steady(rate: number): { stop(): Promise<void> } {
      const start = performance.now();
      const first = said;
      const used = new Set<BenchPeer>();
      const timer = setInterval(() => {
        const due = first + Math.floor((rate * (performance.now() - start)) / 1000);
        while (said < due) used.add(sayOne());
        flushed(used);
      }, 5);
      return {
        async stop() {
          clearInterval(timer);
          const deadline = performance.now() + 5000;
          while (seen < said && performance.now() < deadline) await sleep(10);
        },
      };
    },
  };
}

/** Whether the catch-up and what came live meanwhile hold every id after `seen` once, each in order. */
export function exactlyOnce(seen: number, caught: readonly number[], live: readonly number[]): { duplicates: number; gaps: number; reordered: number } {
  const ids = new Set<number>();
  let duplicates = 0;
  for (const id of [...caught, ...live]) {
    if (ids.has(id)) duplicates++;
    ids.add(id);
  }
  const inOrder = (list: readonly number[]) => list.filter((id, i) => i > 0 && id <= list[i - 1]!).length;
  const newest = Math.max(seen, ...ids);
  let gaps = 0;
  for (let id = seen + 1; id <= newest; id++) if (!ids.has(id)) gaps++;
  return { duplicates, gaps, reordered: inOrder(caught) + inOrder(live) };
}

/** Waits (60 s at most) until the search index holds the newest message: it may trail the history (§11). */
async function indexed(reader: ChatClient, newest: number): Promise<void> {
  const deadline = performance.now() + 60_000;
  while ((await reader.search(String(newest), { conversation: ALL })).length === 0) {
    if (performance.now() > deadline) throw new Error('the search index did not take in the newest message within 60 s');
    await sleep(50);
  }
}

function timings(ms: readonly number[]): Timings {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}
