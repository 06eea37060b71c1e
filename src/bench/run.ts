import { openPeer, type BenchPeer, type BenchProto, type PeerTarget } from './peers.js';
import { readProcess } from './proc.js';
import { openUsers } from './register.js';
import { seatInRooms, type Seating } from './rooms.js';
import { benchName, makeStampText } from './stamp.js';
import { Tracker, type Counts } from './tracker.js';

export type Workload = 'broadcast' | 'whisper' | 'mixed' | 'connect' | 'churn' | 'rooms' | 'history';

export interface BenchOptions extends PeerTarget {
  proto: BenchProto;
  workload: Workload;
  clients: number;
  /** rooms: how many rooms the users are spread over. */
  rooms: number;
  /** Text bytes per message. */
  size: number;
  /** Open loop at this many messages/s in all; undefined = closed loop. */
  rate: number | undefined;
  /** Closed loop: messages each user may have not yet delivered to everyone. */
  window: number;
  secs: number;
  warmup: number;
  /** Registrations in flight at once. */
  connPar: number;
  /** connect: seconds to hold the users idle before measuring memory. */
  hold: number;
  /** churn: users joining (and leaving) per second while the others chat. */
  churnRate: number;
  /** The server's process, to read its CPU and memory. */
  serverPid: number | undefined;
}

export interface BenchResult {
  options: BenchOptions;
  counts: Counts;
  registrationsPerSecond: number;
  messagesPerSecond: number;
  deliveriesPerSecond: number;
  latencyUs: { p50: number; p99: number; max: number };
  generatorCpu: number;
  serverCpu: number | undefined;
  serverRssKb: number | undefined;
  serverHwmKb: number | undefined;
  /** The server's resident memory before the users connected. */
  serverRssBeforeKb: number | undefined;
  churnJoins: number;
  /** Seconds the measurement window really lasted. */
  duration: number;
  /**
   * connect: ms from the first connection until every user's list held every user (sizes for
   * all, names for a sample); undefined when the lists never settled or the protocol has none.
   */
  presenceSettledMs: number | undefined;
  /** connect: the sampled users' lists held exactly the registered names. */
  presenceExact: boolean | undefined;
}

export type Progress = (phase: string, done: number, total: number) => void;

const DRAIN_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nowUs = () => Math.floor(performance.now() * 1000);

/** Users whose lists are checked name by name (the others by size). */
const EXACT_SAMPLE = 16;

/** Registers the users in the lobby, `connPar` at a time. */
function register(o: BenchOptions, progress: Progress): Promise<BenchPeer[]> {
  const sampleEvery = Math.ceil(o.clients / EXACT_SAMPLE);
  return openUsers(0, o.clients, o.connPar, (i) => openPeer(o.proto, i, o, { keepNames: i % sampleEvery === 0 }), progress);
}

export async function runBench(o: BenchOptions, progress: Progress = () => {}): Promise<BenchResult> {
  const before = o.serverPid ? readProcess(o.serverPid) : undefined;
  const t0 = performance.now();
  const seating = o.workload === 'rooms' ? await seatInRooms(o, progress) : undefined;
  const peers = seating?.peers ?? (await register(o, progress));
  const registrationsPerSecond = o.clients / ((performance.now() - t0) / 1000);
  const result: BenchResult = {
    options: o, registrationsPerSecond, messagesPerSecond: 0, deliveriesPerSecond: 0,
    counts: { sent: 0, delivered: 0, lost: 0, corrupt: 0, duplicates: 0, reordered: 0, misrouted: 0 },
    latencyUs: { p50: 0, p99: 0, max: 0 }, generatorCpu: 0, serverCpu: undefined,
    serverRssKb: undefined, serverHwmKb: undefined, churnJoins: 0, duration: 0,
    presenceSettledMs: undefined, presenceExact: undefined, serverRssBeforeKb: before?.rssKb,
  };
  try {
    if (o.workload === 'connect') {
      if (o.proto !== 'irc') await settlePresence(peers, t0, result, progress);
      await sleep(o.hold * 1000);
    } else {
      await chat(o, peers, result, progress, seating);
    }
    const server = o.serverPid ? readProcess(o.serverPid) : undefined;
    result.serverRssKb = server?.rssKb;
    result.serverHwmKb = server?.hwmKb;
  } finally {
    await seating?.clear();
    peers.forEach((p) => p.close());
  }
  return result;
}

async function chat(o: BenchOptions, peers: BenchPeer[], result: BenchResult, progress: Progress, seating: Seating | undefined): Promise<void> {
  const n = peers.length;
  const tracker = new Tracker(n, seating?.roomOf);
  const dirty = new Set<BenchPeer>();
  let flushing = false;
  const flushAll = () => {
    flushing = false;
    for (const p of dirty) p.flush();
    dirty.clear();
  };
  let sending = true;
  const sendOne = (i: number) => {
    const seq = tracker.nextSeq(i);
    const peer = peers[i]!;
    const text = makeStampText(seq, nowUs(), o.size);
    if (seating) {
      const room = seating.roomOf[i]!;
      tracker.sending(i, seating.roomSizes[room]! - 1);
      peer.send(seating.roomFields[room]!, text);
    } else {
      const toAll = o.workload === 'broadcast' || ((o.workload === 'mixed' || o.workload === 'churn') && seq % 2 === 0);
      tracker.sending(i, toAll ? n - 1 : 1);
      peer.send(toAll ? -1 : (i + 1) % n, text);
    }
    dirty.add(peer);
    if (!flushing) {
      flushing = true;
      setImmediate(flushAll);
    }
  };
  peers.forEach((p, i) => {
    p.onDeliver = (sender, receiver, text) => tracker.delivered(i, sender, receiver, text, nowUs());
  });

  let ticker: ReturnType<typeof setInterval> | undefined;
  const rate = o.rate ?? (o.workload === 'churn' ? 100 : undefined);
  if (rate === undefined) {
    tracker.onComplete = (sender) => {
      if (sending) sendOne(sender);
    };
    for (let w = 0; w < o.window; w++) for (let i = 0; i < n; i++) sendOne(i);
  } else {
    const start = performance.now();
    let sent = 0;
    let rr = 0;
    ticker = setInterval(() => {
      const due = Math.floor((rate * (performance.now() - start)) / 1000) - sent;
      for (let k = 0; k < due; k++, sent++) sendOne(rr++ % n);
    }, 1);
  }
  const churn = o.workload === 'churn' ? startChurn(o, result) : undefined;

  const total = o.warmup + o.secs;
  const runStart = performance.now();
  const tick = setInterval(() => progress('running', Math.min(total, (performance.now() - runStart) / 1000), total), 200);
  await sleep(o.warmup * 1000);
  tracker.measuring = true;
  const cpu0 = process.cpuUsage();
  const server0 = o.serverPid ? readProcess(o.serverPid) : undefined;
  const w0 = performance.now();
  await sleep(o.secs * 1000);
  tracker.measuring = false;
  const wall = (performance.now() - w0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const server1 = o.serverPid ? readProcess(o.serverPid) : undefined;
  sending = false;
  clearInterval(ticker);
  clearInterval(tick);
  await churn?.stop();

  const drainStart = performance.now();
  while (tracker.pending > 0 && performance.now() - drainStart < DRAIN_MS) {
    progress('draining', Math.round(performance.now() - drainStart), DRAIN_MS);
    await sleep(20);
  }
  tracker.finish();
  result.counts = tracker.counts;
  result.duration = wall;
  result.messagesPerSecond = tracker.window.sent / wall;
  result.deliveriesPerSecond = tracker.window.delivered / wall;
  result.latencyUs = tracker.latency();
  result.generatorCpu = (cpu.user + cpu.system) / 1e6 / wall;
  if (server0 && server1) result.serverCpu = (server1.cpuSeconds - server0.cpuSeconds) / wall;
}

/** Users joining at a rate, each leaving again half a second after its name was accepted. */
function startChurn(o: BenchOptions, result: BenchResult): { stop: () => Promise<void> } {
  let next = o.clients;
  const live = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const index = next++;
    const life = openPeer(o.proto, index, o)
      .then(async (peer) => {
        result.churnJoins++;
        await sleep(500);
        peer.close();
      })
      .catch(() => {})
      .finally(() => live.delete(life));
    live.add(life);
  }, 1000 / Math.max(1, o.churnRate));
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(live);
    },
  };
}

/** Waits (10 s at most) until every user sees every user; records when, and whether exactly. */
async function settlePresence(peers: BenchPeer[], t0: number, result: BenchResult, progress: Progress): Promise<void> {
  const n = peers.length;
  const deadline = performance.now() + 10_000;
  let complete = 0;
  while ((complete = peers.filter((p) => p.listSize === n).length) < n && performance.now() < deadline) {
    progress('presence', complete, n);
    await sleep(5);
  }
  if (complete < n) return;
  result.presenceSettledMs = performance.now() - t0;
  const expected = peers.map((p) => benchName(p.index));
  result.presenceExact = peers.every((p) => !p.names || (p.names.size === n && expected.every((name) => p.names!.has(name))));
}
