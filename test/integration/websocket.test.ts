/** HCP over WebSocket at the protocol level: limits and refusals for browser peers. */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodeFrame, ErrorCode, MsgType, parseMessage, type HcpMessage } from '../../src/protocol/index.js';
import { FramedPeer, join } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
const sockets: WebSocket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.terminate());
  await server?.close();
});

/** A raw WebSocket peer: sends payloads (type + body), keeps what it receives. */
async function wsPeer(name?: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.httpAddress!.port}/hcp`, ['hcp.v2']);
  sockets.push(ws);
  const received: HcpMessage[] = [];
  let closeCode: number | undefined;
  ws.on('message', (d: Buffer) => {
    const m = parseMessage(d[0]!, d.subarray(1));
    if (m) received.push(m);
  });
  ws.on('close', (code) => (closeCode = code));
  await new Promise((r) => ws.once('open', r));
  const send = (m: HcpMessage) => ws.send(encodeFrame(m).subarray(4));
  if (name) {
    send({ type: MsgType.PROPOSAL, name });
    await expect.poll(() => received.some((m) => m.type === MsgType.ACK)).toBe(true);
  }
  return { ws, received, send, closed: () => closeCode };
}

describe('HCP over WebSocket', () => {
  it('refusals carry reasons, as for framed TCP peers', async () => {
    server = await startTestServer({ httpPort: 0 });
    const p = await wsPeer('web');
    p.send({ type: MsgType.MESSAGE, from: 'someone', to: 'All', text: 'spoof' });
    await expect.poll(() => p.received.find((m) => m.type === MsgType.ERROR)).toMatchObject({ code: ErrorCode.SPOOFED_SENDER });
  });

  it('a browser peer granted history gets every message stamped, its own as an echo; a plain one the MESSAGE as before', async () => {
    server = await startTestServer({ httpPort: 0 });
    const stamped = await wsPeer();
    stamped.send({ type: MsgType.CAPS, id: 1, fields: { caps: ['history'] } });
    await expect.poll(() => stamped.received.some((m) => m.type === MsgType.REPLY)).toBe(true);
    stamped.send({ type: MsgType.PROPOSAL, name: 'web' });
    const plain = await wsPeer('plain');
    const framed = await join(FramedPeer.open(server.port), 'framed');
    await expect.poll(() => stamped.received.some((m) => m.type === MsgType.ACK)).toBe(true);
    stamped.send({ type: MsgType.MESSAGE, from: 'web', to: 'All', text: 'from the page' });
    framed.send({ type: MsgType.MESSAGE, from: 'framed', to: 'web', text: 'psst' });
    const stamps = () => stamped.received.flatMap((m) => (m.type === MsgType.STAMPED ? [m.fields] : []));
    await expect.poll(() => stamps().length).toBe(2);
    expect(stamps()).toMatchObject([{ from: 'web', to: 'All', text: 'from the page' }, { from: 'framed', to: 'web', text: 'psst' }]);
    expect((await framed.take(MsgType.MESSAGE)).text).toBe('from the page');
    await expect.poll(() => plain.received.find((m) => m.type === MsgType.MESSAGE)).toMatchObject({ from: 'web', text: 'from the page' });
    expect(plain.received.some((m) => m.type === MsgType.STAMPED)).toBe(false);
    framed.socket.destroy();
  });

  it('a message over the frame limit closes that browser peer (1009) and is logged; others carry on', async () => {
    server = await startTestServer({ httpPort: 0, maxFrameBytes: 1000 });
    const watcher = await join(FramedPeer.open(server.port), 'watcher');
    const big = await wsPeer('big');
    big.ws.send(new Uint8Array(5000).fill(5));
    await expect.poll(() => big.closed()).toBe(1009);
    await expect.poll(() => server.logs.some((l) => l.code === 'FRAME_TOO_LARGE' && l.name === 'big')).toBe(true);
    const other = await wsPeer('other');
    other.send({ type: MsgType.MESSAGE, from: 'other', to: 'watcher', text: 'fine' });
    expect((await watcher.take(MsgType.MESSAGE)).text).toBe('fine');
    watcher.socket.destroy();
  });

  it('a browser peer that stops reading is dropped at the queue bound; the others get everything', { timeout: 60_000 }, async () => {
    server = await startTestServer({ httpPort: 0, maxQueuedBytes: 1024 * 1024, maxConnections: 1000, messageRate: 0 });
    const watcher = await join(FramedPeer.open(server.port), 'watcher');
    const slow = await wsPeer('slow');
    slow.ws.pause(); // stops reading
    const talker = await join(FramedPeer.open(server.port), 'talker');
    const n = 8000;
    for (let i = 0; i < n; i++) {
      talker.send({ type: MsgType.MESSAGE, from: 'talker', to: 'All', text: `${i} ${'w'.repeat(1000)}` });
      // the watcher keeps up (it must not become a slow reader itself on a busy machine); the paused one cannot
      if (i % 200 === 199) await watcher.until(() => watcher.received.length >= i - 400, 'the watcher to keep up', 20_000);
    }
    await watcher.until(() => watcher.received.filter((m) => m.type === MsgType.MESSAGE).length === n, 'every message', 40_000);
    await expect.poll(() => server.logs.some((l) => l.code === 'SLOW_READER' && l.name === 'slow')).toBe(true);
    expect(server.core.names()).not.toContain('slow');
    watcher.socket.destroy();
    talker.socket.destroy();
  });
});

describe('HCP over WebSocket: broken WebSocket framing', () => {
  it('is logged as MALFORMED (not as an oversize frame), and only that peer is dropped', async () => {
    server = await startTestServer({ httpPort: 0 });
    const p = await wsPeer('broken');
    // a masked frame with reserved opcode 0x3: a WebSocket protocol violation
    const raw = (p.ws as unknown as { _socket: import('node:net').Socket })._socket;
    raw.write(Buffer.from([0x83, 0x80, 0, 0, 0, 0]));
    await expect.poll(() => server.logs.find((l) => l.name === 'broken' && l.msg === 'connection dropped')).toMatchObject({ code: 'MALFORMED' });
    await expect.poll(() => server.core.names()).toEqual([]);
  });
});

describe('HCP over WebSocket: what docs/protocol.md §6 promises a WebSocket peer', () => {
  const rawSocket = (ws: WebSocket) => (ws as unknown as { _socket: import('node:net').Socket })._socket;

  it('a handshake without subprotocol hcp.v2 is refused with 400; with it, accepted', async () => {
    server = await startTestServer({ httpPort: 0 });
    const url = `ws://127.0.0.1:${server.httpAddress!.port}/hcp`;
    const status = (protocols: string[]) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, protocols);
        sockets.push(ws);
        ws.on('open', () => resolve(101));
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => {});
      });
    expect(await status([])).toBe(400);
    expect(await status(['chat'])).toBe(400);
    expect(await status(['chat', 'hcp.v2'])).toBe(101);
    expect(server.logs.find((l) => l.msg === 'WebSocket refused')).toMatchObject({ why: 'Subprotocol hcp.v2 Required' });
  });

  it.each([
    ['an unmasked frame', Buffer.from([0x82, 0x03, 0x05, 0x00, 0x00])],
    ['a frame with the RSV1 bit', Buffer.from([0xc2, 0x81, 0, 0, 0, 0, 0x05])],
  ])('%s is closed with WebSocket status 1002 and no HCP ERROR; logged as MALFORMED', async (_what, bytes) => {
    server = await startTestServer({ httpPort: 0 });
    const p = await wsPeer('broken');
    rawSocket(p.ws).write(bytes);
    await expect.poll(() => p.closed()).toBe(1002);
    expect(p.received.filter((m) => m.type === MsgType.ERROR)).toEqual([]);
    expect(server.logs.find((l) => l.name === 'broken' && l.msg === 'connection dropped')).toMatchObject({ code: 'MALFORMED' });
  });
});
