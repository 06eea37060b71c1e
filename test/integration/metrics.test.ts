/**
 * Observing a running server over HTTP as an operator's tools do: /metrics scraped in Prometheus's
 * text format while real clients (framed, classic, WebSocket) talk in the lobby, a room and
 * whispers; /healthz and /readyz as probes see them, the store broken under the server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodeFrame, MsgType, parseMessage, type HcpMessage } from '../../src/protocol/index.js';
import type { ServerOptions } from '../../src/server/options.js';
import { ClassicPeer, FramedPeer, join, textsOf, type AnyPeer } from '../helpers/clients.js';
import { scrape, sample } from '../helpers/metrics.js';
import { ask, framedUser } from '../helpers/requests.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer | undefined;
const peers: AnyPeer[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.socket.destroy();
  for (const s of sockets.splice(0)) s.terminate();
  await server?.close();
  server = undefined;
});

async function start(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  server = await startTestServer({ httpPort: 0, loginDelayMs: 50, ...options });
  return server;
}
const httpPort = () => server!.httpAddress!.port;
const track = <P extends AnyPeer>(p: P): P => (peers.push(p), p);

/** A WebSocket peer (subprotocol hcp.v2) named `name`, keeping what it receives. */
async function wsUser(name: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${httpPort()}/hcp`, ['hcp.v2']);
  sockets.push(ws);
  const received: HcpMessage[] = [];
  ws.on('message', (d: Buffer) => {
    const m = parseMessage(d[0]!, d.subarray(1));
    if (m) received.push(m);
  });
  await new Promise((r) => ws.once('open', r));
  ws.send(encodeFrame({ type: MsgType.PROPOSAL, name }).subarray(4));
  await expect.poll(() => received.some((m) => m.type === MsgType.ACK)).toBe(true);
  return { received };
}

async function get(path: string): Promise<{ status: number; type: string | null; body: unknown }> {
  const res = await fetch(`http://127.0.0.1:${httpPort()}${path}`);
  return { status: res.status, type: res.headers.get('content-type'), body: res.status === 404 ? await res.text() : await res.json() };
}

const say = (p: AnyPeer, from: string, to: string, text: string) => p.send({ type: MsgType.MESSAGE, from, to, text });

describe('/metrics', () => {
  it('counts connections, users, registrations, refusals, messages and deliveries by kind, bytes and store calls; never a name', async () => {
    await start();
    const alice = track(await framedUser(server!.port, 'alice', { password: 'correct horse' })); // an account
    const bobby = track(await framedUser(server!.port, 'bobby')); // a guest granted rooms
    const carol = track(await join(ClassicPeer.open(server!.port), 'carol')); // a 2016 client
    const webby = await wsUser('webby');
    const late = track(await FramedPeer.open(server!.port));
    late.send({ type: MsgType.PROPOSAL, name: 'bobby' }); // taken
    await late.take(MsgType.NAK);

    await ask(alice, MsgType.ROOM_CREATE, { room: '#tea', topic: 'Oolong' });
    await ask(bobby, MsgType.ROOM_JOIN, { room: '#tea' });
    say(bobby, 'bobby', 'All', 'hello everyone'); // to alice, carol, webby
    say(alice, 'alice', '#tea', 'tea time'); // to bobby
    say(carol, 'carol', 'bobby', 'psst'); // to bobby
    await alice.until(() => textsOf(alice).includes('hello everyone'), 'the lobby message');
    await carol.until(() => textsOf(carol).includes('hello everyone'), 'the lobby message');
    await expect.poll(() => webby.received.some((m) => m.type === MsgType.MESSAGE)).toBe(true);
    await bobby.until(() => textsOf(bobby).includes('tea time') && textsOf(bobby).includes('psst'), 'the room message and the whisper');

    const text = await scrape(httpPort());
    const at = (name: string, labels: Record<string, string> = {}) => sample(text, name, labels);
    expect(at('howdy_connections', { transport: 'tcp', wire: 'framed' })).toBe(3);
    expect(at('howdy_connections', { transport: 'tcp', wire: 'classic' })).toBe(1);
    expect(at('howdy_connections', { transport: 'ws', wire: 'framed' })).toBe(1);
    expect(at('howdy_connections_opened_total', { transport: 'tcp' })).toBe(4);
    expect(at('howdy_connections_opened_total', { transport: 'ws' })).toBe(1);
    expect(at('howdy_users_online')).toBe(4);
    expect(at('howdy_registrations_total', { kind: 'account' })).toBe(1);
    expect(at('howdy_registrations_total', { kind: 'guest' })).toBe(3);
    expect(at('howdy_refusals_total', { code: 'NAME_TAKEN' })).toBe(1);
    for (const kind of ['lobby', 'room', 'whisper']) expect(at('howdy_messages_total', { kind }), kind).toBe(1);
    expect(at('howdy_deliveries_total', { kind: 'lobby' })).toBe(3);
    expect(at('howdy_deliveries_total', { kind: 'room' })).toBe(1);
    expect(at('howdy_deliveries_total', { kind: 'whisper' })).toBe(1);
    expect(at('howdy_store_seconds_count', { op: 'accounts.create' })).toBe(1);
    expect(at('howdy_store_seconds_count', { op: 'rooms.create' })).toBe(1);
    expect(at('howdy_store_seconds_count', { op: 'history.append' })).toBeGreaterThanOrEqual(1);
    expect(at('howdy_queued_bytes', { transport: 'tcp' })).toBe(0);
    expect(at('howdy_received_bytes_total', { transport: 'ws' })).toBeGreaterThan(0);
    // the process's own: CPU, memory, event-loop lag
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes']) expect(at(name), name).toBeGreaterThan(0);
    for (const name of ['nodejs_eventloop_lag_seconds', 'nodejs_eventloop_lag_p99_seconds']) expect(at(name), name).toBeGreaterThanOrEqual(0);
    // labels are kinds, codes, transports and store calls: never a user's or a room's name
    for (const name of ['alice', 'bobby', 'carol', 'webby', '#tea', 'Oolong']) expect(text).not.toContain(name);

    // bytes: what the TCP peers wrote and read, exactly, once nothing is in flight
    const tcpPeers = [alice, bobby, carol, late];
    const written = tcpPeers.reduce((n, p) => n + p.socket.bytesWritten, 0);
    const read = () => tcpPeers.reduce((n, p) => n + p.bytes.length, 0);
    await expect.poll(async () => {
      const now = await scrape(httpPort());
      return [sample(now, 'howdy_received_bytes_total', { transport: 'tcp' }), sample(now, 'howdy_sent_bytes_total', { transport: 'tcp' }) === read()];
    }).toEqual([written, true]);
  });

  it('counts a flooder as a connection dropped, by code', async () => {
    await start({ messageRate: 20, messageBurst: 10 });
    const tool = track(await join(FramedPeer.open(server!.port), 'tool'));
    // 40 frames in one write: more than two bursts over the rate at once (docs/protocol.md §8)
    tool.write(Buffer.concat(Array.from({ length: 40 }, () => encodeFrame({ type: MsgType.PING, data: new Uint8Array(0) }))));
    await tool.waitClosed();
    const text = await scrape(httpPort());
    expect(sample(text, 'howdy_connections_dropped_total', { code: 'RATE_LIMITED' })).toBe(1);
    expect(sample(text, 'howdy_connections_dropped_total', { code: 'SLOW_READER' })).toBeUndefined();
  });

  it('counts a slow reader as a connection dropped, by code', { timeout: 30_000 }, async () => {
    await start({ messageRate: 0, maxTextBytes: 60_000, maxFrameBytes: 65_536, maxConnections: 10, history: false });
    const slow = track(await join(FramedPeer.open(server!.port), 'slow'));
    slow.socket.pause(); // reads nothing more: the kernel's buffers fill, then the server's queue
    const talker = track(await join(FramedPeer.open(server!.port), 'talker'));
    const big = 'w'.repeat(60_000);
    for (let i = 0; i < 1000 && server!.core.names().includes('slow'); i++) {
      say(talker, 'talker', 'slow', big);
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 5));
    }
    await expect.poll(() => server!.core.names()).toEqual(['talker']);
    const text = await scrape(httpPort());
    expect(sample(text, 'howdy_connections_dropped_total', { code: 'SLOW_READER' })).toBe(1);
    expect(sample(text, 'howdy_connections', { transport: 'tcp', wire: 'framed' })).toBe(1);
  });

  it('is not served with --no-metrics', async () => {
    await start({ metrics: false });
    expect(await get('/metrics')).toMatchObject({ status: 404 });
    expect(await get('/healthz')).toMatchObject({ status: 200 });
  });
});

describe('/healthz and /readyz', () => {
  it('healthz: alive; readyz: 200 while listening with the store answering, 503 saying which failed once the store is gone', async () => {
    await start();
    track(await join(FramedPeer.open(server!.port), 'alice'));
    expect(await get('/healthz')).toEqual({ status: 200, type: 'application/json', body: { status: 'ok', online: 1, connections: 1 } });
    expect(await get('/readyz')).toEqual({ status: 200, type: 'application/json', body: { status: 'ready', listening: true, store: 'ok' } });

    await server!.store.close(); // the engine goes away under the server
    expect(await get('/readyz')).toEqual({ status: 503, type: 'application/json', body: { status: 'not ready', listening: true, store: 'failed' } });
    expect(server!.logs.some((l) => l.msg === 'not ready: the store does not answer')).toBe(true);
    expect(await get('/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});
