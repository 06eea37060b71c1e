// The history store alone, without sockets: turns of lobby messages (or of whispers between
// random pairs of USERS) appended as the server's turns append them, with the step behind the
// live path (chunks put in place, search index) started every 25 ms behind the turns, as the
// server starts it. Prints messages/s, this thread's CPU µs a message (usMainCpu: what the live
// path pays; 10 ms ticks), the µs a message spent appending and starting steps, and the longest of
// each (the live chat waits that long); the store's writer thread works beside it where the
// machine has a core to spare (`taskset -c 0` shares one). For an A/B, build the other revision elsewhere and point DIST at
// its dist/; alternate the runs (the machine is noisy).
//
//   node bench/history-store.mjs [lobby|whisper] [MESSAGES]      (after npm run build)
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const dist = resolve(process.env.DIST ?? new URL('../dist', import.meta.url).pathname);
const { openStore } = await import(join(dist, 'server/store/sqlite.js'));
const { whisperKey } = await import(join(dist, 'server/core/history.js'));
const workload = process.argv[2] ?? 'lobby';
const total = Number(process.argv[3] ?? 600_000);
const USERS = 200;
const TURN = 64;
const STEP_EVERY_MS = 25;
const STEP = 2_000;

const data = mkdtempSync(join(tmpdir(), 'howdy-history-store-'));
const store = await openStore({ data, owner: true });
const users = Array.from({ length: USERS }, (_, i) => `g:user${i}`);
let seed = 1;
const pick = () => users[(seed = (seed * 1103515245 + 12345) >>> 0) % USERS];
let id = 0;
let appending = 0;
let stepping = 0;
// the longest append and step: how long the live chat would wait for one
let appendMost = 0;
let stepMost = 0;
let stepRunning;
// this thread's CPU time (Linux): what the live path pays, whatever the writer's thread does beside it
const cpuMs = () => existsSync('/proc/thread-self/stat') ? readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((a, b) => a + Number(b) * 10, 0) : NaN;
const cpuStarted = cpuMs();
const started = performance.now();
let stepped = started;
while (id < total) {
  const turn = [];
  for (let i = 0; i < TURN; i++) {
    const sender = pick();
    const recipient = workload === 'whisper' ? pick() : undefined;
    const text = `${(++id).toString(16).padStart(32, '0')}${'abcdefghijklmnopqrstuvwxyz'.repeat(2).slice(0, 32)}`;
    turn.push(recipient === undefined
      ? { id, conversation: '*', at: Date.now(), sender, from: sender.slice(2), to: '*', text, deleted: false }
      : { id, conversation: whisperKey(sender, recipient), at: Date.now(), sender, recipient, from: sender.slice(2), to: recipient.slice(2), text, deleted: false });
  }
  const t = performance.now();
  await store.history.append(turn);
  const took = performance.now() - t;
  appending += took;
  appendMost = Math.max(appendMost, took);
  if (!stepRunning && t - stepped >= STEP_EVERY_MS) {
    // as the server does: the step goes on behind the turns (on the writer's thread, if the store has one)
    const s = performance.now();
    stepRunning = store.history.index(STEP).finally(() => {
      stepRunning = undefined;
      stepped = performance.now();
    });
    const sync = performance.now() - s;
    stepping += sync;
    stepMost = Math.max(stepMost, sync);
  }
  await new Promise(setImmediate); // the next turn: the thread's answers come in between
}
await stepRunning;
const elapsed = performance.now() - started;
const cpu = cpuMs() - cpuStarted;
await store.close();
rmSync(data, { recursive: true, force: true });
const us = (ms) => Number(((ms * 1000) / total).toFixed(2));
console.log(JSON.stringify({ workload, messages: total, perSecond: Math.round((total / elapsed) * 1000), usMainCpu: us(cpu), usAppending: us(appending), usStepping: us(stepping), appendMostMs: Math.round(appendMost), stepMostMs: Math.round(stepMost) }));
