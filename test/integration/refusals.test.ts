/** What the server refuses, and how each form of peer learns of it; nobody else is disturbed. */
import { describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { encodeFrame, ErrorCode, MsgType, PREFACE } from '../../src/protocol/index.js';
import { ClassicPeer, FramedPeer, join } from '../helpers/clients.js';
import { trackPeers } from '../helpers/rig.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { ServerOptions } from '../../src/server/options.js';

let server: TestServer;
const { peers, track } = trackPeers(() => server);
async function setup(options: Partial<ServerOptions> = {}) {
  server = await startTestServer(options);
  return track(await join(FramedPeer.open(server.port), 'watcher'));
}
const framed = async (name: string) => track(await join(FramedPeer.open(server.port), name));
const classic = async (name: string) => track(await join(ClassicPeer.open(server.port), name));

/** The watcher still gets messages: proof that others were not disturbed. */
async function stillServes(watcher: FramedPeer) {
  const other = await framed(`other${peers.length}`);
  other.send({ type: MsgType.MESSAGE, from: other === undefined ? '' : `other${peers.length - 1}`, to: 'watcher', text: 'still fine' });
  expect((await watcher.take(MsgType.MESSAGE)).text).toBe('still fine');
}

describe('refused messages', () => {
  it('framed: not registered, spoofed sender, unknown receiver, too long, bad UTF-8 each get an ERROR and are not delivered', async () => {
    const watcher = await setup({ maxTextBytes: 100 });
    const raw = track(await FramedPeer.open(server.port));
    raw.send({ type: MsgType.MESSAGE, from: 'x', to: 'watcher', text: 'early' });
    expect(await raw.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.NOT_REGISTERED, fatal: false });

    const eve = await framed('eve');
    eve.send({ type: MsgType.MESSAGE, from: 'watcher', to: 'All', text: 'spoof' });
    expect(await eve.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.SPOOFED_SENDER });
    eve.send({ type: MsgType.MESSAGE, from: 'eve', to: 'nobody', text: 'hello?' });
    expect(await eve.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.UNKNOWN_RECEIVER });
    eve.send({ type: MsgType.MESSAGE, from: 'eve', to: 'All', text: 'x'.repeat(101) });
    expect(await eve.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.TEXT_TOO_LONG });
    const bad = encodeFrame({ type: MsgType.MESSAGE, from: 'eve', to: 'All', text: 'ab' });
    bad[bad.length - 1] = 0xff;
    eve.write(bad);
    expect(await eve.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.INVALID_UTF8 });
    eve.send({ type: MsgType.PROPOSAL, name: 'eve2' });
    expect(await eve.take(MsgType.NAK)).toEqual({ type: MsgType.NAK, name: 'eve2' });
    expect(await eve.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.ALREADY_REGISTERED });

    // the longest allowed text goes through; none of the refused ones did
    eve.send({ type: MsgType.MESSAGE, from: 'eve', to: 'All', text: 'y'.repeat(100) });
    expect((await watcher.take(MsgType.MESSAGE)).text).toBe('y'.repeat(100));
    expect(watcher.received.filter((m) => m.type === MsgType.MESSAGE)).toEqual([]);
    expect(eve.closed).toBe(false);
    expect(server.logs.filter((l) => l.level === 'warn').map((l) => l.code)).toEqual(
      expect.arrayContaining(['NOT_REGISTERED', 'SPOOFED_SENDER', 'UNKNOWN_RECEIVER', 'TEXT_TOO_LONG', 'INVALID_UTF8', 'ALREADY_REGISTERED']),
    );
  });

  it('classic: the same refusals are silent discards, as in the seed', async () => {
    const watcher = await setup();
    const eve = await classic('eve');
    eve.send({ type: MsgType.MESSAGE, from: 'watcher', to: 'All', text: 'spoof' });
    await new Promise((r) => setTimeout(r, 20));
    eve.send({ type: MsgType.MESSAGE, from: 'eve', to: 'nobody', text: 'hello?' });
    await new Promise((r) => setTimeout(r, 20));
    eve.send({ type: MsgType.MESSAGE, from: 'eve', to: 'watcher', text: 'real' });
    expect((await watcher.take(MsgType.MESSAGE)).text).toBe('real');
    expect(watcher.received.filter((m) => m.type === MsgType.MESSAGE)).toEqual([]);
    expect(eve.received.filter((m) => m.type !== MsgType.UPDATE)).toEqual([]);
    expect(eve.closed).toBe(false);
  });

  it('a classic and a framed user talk to each other through one server', async () => {
    await setup();
    const old = await classic('Jon Stewart');
    const modern = await framed('Zoé 🤠');
    old.send({ type: MsgType.MESSAGE, from: 'Jon Stewart', to: 'Zoé 🤠', text: 'howdy from 2016' });
    expect(await modern.take(MsgType.MESSAGE)).toEqual({ type: MsgType.MESSAGE, from: 'Jon Stewart', to: 'Zoé 🤠', text: 'howdy from 2016' });
    modern.send({ type: MsgType.MESSAGE, from: 'Zoé 🤠', to: 'All', text: 'hi all ✓' });
    expect(await old.take(MsgType.MESSAGE)).toEqual({ type: MsgType.MESSAGE, from: 'Zoé 🤠', to: 'All', text: 'hi all ✓' });
  });

  it('a 64-byte name and the longest classic text (3967 bytes) work', async () => {
    await setup();
    const long = 'é'.repeat(32);
    const a = await classic(long);
    const b = await framed('b');
    const text = 'z'.repeat(3967);
    a.send({ type: MsgType.MESSAGE, from: long, to: 'b', text });
    expect(await b.take(MsgType.MESSAGE)).toEqual({ type: MsgType.MESSAGE, from: long, to: 'b', text });
    b.send({ type: MsgType.MESSAGE, from: 'b', to: long, text });
    expect(await a.take(MsgType.MESSAGE)).toEqual({ type: MsgType.MESSAGE, from: 'b', to: long, text });
  });
});

describe('protocol errors end only the offending connection', () => {
  it('a frame above the limit: fatal FRAME_TOO_LARGE, then closed', async () => {
    const watcher = await setup();
    const p = await FramedPeer.open(server.port);
    p.write(Uint8Array.of(0xff, 0xff, 0xff, 0xff));
    expect(await p.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.FRAME_TOO_LARGE, fatal: true });
    await p.waitClosed();
    await stillServes(watcher);
  });

  it('a preface followed by a classic MESSAGE is a framing error, not a crash', async () => {
    const watcher = await setup();
    const p = await FramedPeer.open(server.port);
    p.write(Buffer.concat([Buffer.of(5), Buffer.alloc(128, 0x61), Buffer.from('hello')]));
    expect(await p.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.FRAME_TOO_LARGE, fatal: true });
    await p.waitClosed();
    await stillServes(watcher);
  });

  it('a bad preface is refused with BAD_PREFACE', async () => {
    const watcher = await setup();
    const sock = connect({ port: server.port, host: '127.0.0.1' });
    let got = Buffer.alloc(0);
    sock.on('data', (d) => (got = Buffer.concat([got, d])));
    const closed = new Promise((r) => sock.on('close', r));
    sock.write(Buffer.from('\0GET / HTTP/1.1\r\n'));
    await closed;
    expect(got[4]).toBe(MsgType.ERROR);
    expect(got.readUInt16BE(5)).toBe(ErrorCode.BAD_PREFACE);
    await stillServes(watcher);
  });

  it('random garbage and cut-off frames never crash the server', async () => {
    const watcher = await setup();
    for (let i = 0; i < 30; i++) {
      const sock = connect({ port: server.port, host: '127.0.0.1' });
      sock.on('error', () => {});
      const bytes = Buffer.alloc(1 + ((i * 37) % 300));
      for (let j = 0; j < bytes.length; j++) bytes[j] = (i * 131 + j * 17) & 0xff;
      if (i % 3 === 0 && bytes.length >= PREFACE.length) bytes.set(PREFACE);
      sock.write(bytes);
      sock.destroy();
    }
    const half = await FramedPeer.open(server.port);
    half.write(encodeFrame({ type: MsgType.PROPOSAL, name: 'half' }).subarray(0, 20));
    half.socket.destroy();
    await stillServes(watcher);
  });
});

describe('limits', () => {
  it('a connection that does not register in time is told and dropped', async () => {
    await setup({ registrationTimeoutMs: 200 });
    const f = await FramedPeer.open(server.port);
    const c = await ClassicPeer.open(server.port);
    expect(await f.take(MsgType.ERROR)).toMatchObject({ code: ErrorCode.REGISTRATION_TIMEOUT, fatal: true });
    await f.waitClosed();
    await c.waitClosed();
  });

  it('a reader that stops reading is dropped at the queue bound; the others get every message in order', { timeout: 60_000 }, async () => {
    const watcher = await setup({ maxQueuedBytes: 1024 * 1024, maxConnections: 1000, closeGraceMs: 200, messageRate: 0 });
    const slow = await framed('slow');
    slow.socket.pause(); // stops reading
    const talker = await framed('talker');
    const n = 12000; // 12 MB: more than the kernel buffers of the slow reader can absorb
    const text = 'm'.repeat(1000);
    for (let i = 0; i < n; i++) {
      talker.send({ type: MsgType.MESSAGE, from: 'talker', to: 'All', text: `${i} ${text}` });
      if (i % 200 === 199) await new Promise((r) => setTimeout(r, 10)); // a fast talker, not a flood
    }
    await watcher.until(() => watcher.received.filter((m) => m.type === MsgType.MESSAGE).length === n, 'every message', 40_000);
    const seq = watcher.received.flatMap((m) => (m.type === MsgType.MESSAGE ? [Number(m.text.split(' ')[0])] : []));
    expect(seq).toEqual(Array.from({ length: n }, (_, i) => i));
    const dropped = server.logs.find((l) => l.code === 'SLOW_READER');
    expect(dropped).toMatchObject({ name: 'slow' });
    expect(server.core.names()).not.toContain('slow');
    slow.socket.resume();
    await slow.waitClosed(5000);
  });

  it('the bound always holds the full user list: the server raises a smaller one, and says so', async () => {
    // a full list of 100 users is 6.4 KB; configured 2 KB would drop every newcomer after the 31st
    const watcher = await setup({ maxQueuedBytes: 2048, maxConnections: 100 });
    const raised = server.logs.find((l) => l.msg === 'max-queue raised to hold the full user list');
    expect(raised).toMatchObject({ configured: 2048, maxConnections: 100 });
    expect(raised!.bytes).toBeGreaterThan(100 * 64);
    const users = [];
    for (let i = 0; i < 40; i++) users.push(await framed(`user${i}`));
    await watcher.until(() => server.core.names().length === 41, 'all 41 online');
    expect(server.logs.some((l) => l.code === 'SLOW_READER')).toBe(false);
    expect(users.every((u) => !u.closed)).toBe(true);
  });
});

describe('a client that fell back to classic after a late preface', () => {
  it('is followed into classic form instead of being dropped', async () => {
    await setup();
    const sock = connect({ port: server.port, host: '127.0.0.1' });
    let got = Buffer.alloc(0);
    sock.on('data', (d) => (got = Buffer.concat([got, d])));
    const until = async (n: number) => {
      for (let i = 0; i < 300 && got.length < n; i++) await new Promise((r) => setTimeout(r, 10));
    };
    sock.write(PREFACE);
    await until(8); // the preface did come back, but "too late" for this client
    got = Buffer.alloc(0);
    sock.write(Buffer.concat([Buffer.of(1), Buffer.from('latecomer'.padEnd(64, '\0'))]));
    await until(65);
    expect(got.subarray(0, 65).toString('hex')).toBe(Buffer.concat([Buffer.of(2), Buffer.from('latecomer'.padEnd(64, '\0'))]).toString('hex'));
    expect(server.core.names()).toContain('latecomer');
    expect(server.logs.map((l) => l.msg)).toContain('client fell back to classic after a late preface');
    sock.destroy();
  });
});

describe('names written another way', () => {
  it('are relayed as registered: "all" as All, "BOB" as bob, a sender in other case as itself', async () => {
    await setup();
    const bob = await framed('bob');
    const old = await classic('Jon');
    const eve = await framed('Eve');
    eve.send({ type: MsgType.MESSAGE, from: 'EVE', to: 'all', text: 'to all' });
    expect(await bob.take(MsgType.MESSAGE)).toEqual({ type: MsgType.MESSAGE, from: 'Eve', to: 'All', text: 'to all' });
    expect(await old.take(MsgType.MESSAGE)).toEqual({ type: MsgType.MESSAGE, from: 'Eve', to: 'All', text: 'to all' });
    eve.send({ type: MsgType.MESSAGE, from: 'Eve', to: 'BOB', text: 'to bob' });
    expect(await bob.take(MsgType.MESSAGE)).toEqual({ type: MsgType.MESSAGE, from: 'Eve', to: 'bob', text: 'to bob' });
  });
});

describe('what docs/protocol.md §1, §3 and §9 say the server does without a word', () => {
  it('a whisper to yourself comes back; an empty text is relayed; server-only types from a client are ignored', async () => {
    const watcher = await setup();
    const eve = await framed('Eve');
    eve.send({ type: MsgType.MESSAGE, from: 'Eve', to: 'eve', text: 'note to self' });
    expect(await eve.take(MsgType.MESSAGE)).toEqual({ type: MsgType.MESSAGE, from: 'Eve', to: 'Eve', text: 'note to self' });
    eve.send({ type: MsgType.MESSAGE, from: 'Eve', to: 'watcher', text: '' });
    expect(await watcher.take(MsgType.MESSAGE)).toMatchObject({ from: 'Eve', text: '' });
    eve.send({ type: MsgType.ACK, name: 'Eve' });
    eve.send({ type: MsgType.NAK, name: 'Eve' });
    eve.send({ type: MsgType.UPDATE, names: ['Eve'] });
    eve.send({ type: MsgType.ERROR, code: ErrorCode.INTERNAL, fatal: true, reason: 'pretend' });
    eve.send({ type: MsgType.PRESENCE, changes: [{ op: 1, name: 'ghost' }] });
    eve.send({ type: MsgType.MESSAGE, from: 'Eve', to: 'watcher', text: 'still here' });
    expect(await watcher.take(MsgType.MESSAGE)).toMatchObject({ from: 'Eve', text: 'still here' });
    expect(eve.received.filter((m) => m.type !== MsgType.UPDATE && m.type !== MsgType.PRESENCE)).toEqual([]);
    expect(server.core.names()).toEqual(['watcher', 'Eve']);
  });
});
