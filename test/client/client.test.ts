import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connect } from '../../src/client/tcp.js';
import { connectWebSocket, type WebSocketConstructor } from '../../src/client/websocket.js';
import type { ChatClient, UsersEvent } from '../../src/client/client.js';
import { ErrorCode } from '../../src/protocol/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startLegacyServer } from '../helpers/legacy.js';

const clients: ChatClient[] = [];
let server: TestServer | undefined;
let legacy: { stop: () => void } | undefined;
afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await server?.close();
  legacy?.stop();
  server = legacy = undefined;
});

type Open = () => Promise<ChatClient>;
async function named(open: Open, name: string): Promise<ChatClient> {
  const c = await open();
  clients.push(c);
  const initial = c.once('users');
  expect(await c.register(name)).toEqual({ accepted: true, name });
  await initial;
  return c;
}
const nextUsers = (c: ChatClient, check: (e: UsersEvent) => boolean) =>
  new Promise<UsersEvent>((resolve) => {
    const off = c.on('users', (e) => {
      if (check(e)) {
        off();
        resolve(e);
      }
    });
  });

const transports: Array<[string, () => Open, 'framed' | 'classic']> = [
  ['TCP (framed HCP/2)', () => () => connect('127.0.0.1', server!.port), 'framed'],
  ['TCP forced classic', () => () => connect('127.0.0.1', server!.port, { classic: true }), 'classic'],
  ['WebSocket', () => () => connectWebSocket(`ws://127.0.0.1:${server!.httpAddress!.port}/hcp`, { WebSocket: WebSocket as unknown as WebSocketConstructor }), 'framed'],
];

for (const [label, make, wire] of transports) {
  describe(`client library over ${label}`, () => {
    it('registers, is refused with a reason where the wire allows, and chats', async () => {
      server = await startTestServer({ httpPort: 0 });
      const open = make();
      const alice = await named(open, 'alice');
      expect(alice.wire).toBe(wire);
      expect(alice.users).toEqual(['alice']);

      const second = await open();
      clients.push(second);
      const refused = await second.register('ALICE');
      expect(refused.accepted).toBe(false);
      if (wire === 'framed') expect(refused).toMatchObject({ code: ErrorCode.NAME_TAKEN, reason: expect.stringContaining('taken') });
      const joined = nextUsers(alice, (e) => e.joined.includes('bob'));
      expect(await second.register('bob')).toEqual({ accepted: true, name: 'bob' });
      expect((await joined).users).toEqual(['alice', 'bob']);

      const got = second.once('message');
      const own = alice.once('message');
      alice.send('bob', 'howdy bob');
      expect(await own).toEqual({ from: 'alice', to: 'bob', text: 'howdy bob', own: true });
      expect(await got).toEqual({ from: 'alice', to: 'bob', text: 'howdy bob', own: false });

      const left = nextUsers(alice, (e) => e.left.includes('bob'));
      second.close();
      expect((await left).users).toEqual(['alice']);
    });
  });
}

describe('client checks before sending', () => {
  it('refuses to send without a name, to an unknown user, empty or oversize text', async () => {
    server = await startTestServer();
    const c = await connect('127.0.0.1', server.port);
    clients.push(c);
    expect(() => c.send('All', 'hi')).toThrow(expect.objectContaining({ code: ErrorCode.NOT_REGISTERED }));
    await c.register('carol');
    expect(() => c.send('nobody', 'hi')).toThrow(expect.objectContaining({ code: ErrorCode.UNKNOWN_RECEIVER }));
    expect(() => c.send('All', '   ')).toThrow(expect.objectContaining({ code: ErrorCode.EMPTY_TEXT }));
    expect(() => c.send('All', 'x'.repeat(3968))).toThrow(expect.objectContaining({ code: ErrorCode.TEXT_TOO_LONG }));
    expect(() => c.send('all', 'x'.repeat(3967))).not.toThrow();
  });

  it('reports a fatal server error and the close with its reason', async () => {
    server = await startTestServer();
    const c = await connect('127.0.0.1', server.port);
    clients.push(c);
    await c.register('dave');
    const closed = c.once('close');
    await server.close();
    expect((await closed).reason).toBe('the server is shutting down');
  });
});

describe('with the 2016 server (Python stand-in)', () => {
  it('falls back to classic after the preface goes unanswered, and chats', async () => {
    const old = await startLegacyServer();
    legacy = old;
    const open = () => connect('127.0.0.1', old.port, { prefaceTimeoutMs: 300 });
    const a = await named(open, 'Jon Stewart');
    expect(a.wire).toBe('classic');
    const joined = nextUsers(a, (e) => e.joined.includes('Jimmy Fallon'));
    const b = await named(open, 'Jimmy Fallon');
    expect((await joined).users).toEqual(['Jon Stewart', 'Jimmy Fallon']);
    const got = a.once('message');
    b.send('All', 'howdy from the future');
    expect(await got).toEqual({ from: 'Jimmy Fallon', to: 'All', text: 'howdy from the future', own: false });
    const dup = await open();
    clients.push(dup);
    expect(await dup.register('Jon Stewart')).toEqual({ accepted: false });
    const left = nextUsers(a, (e) => e.left.includes('Jimmy Fallon'));
    b.close();
    expect((await left).users).toEqual(['Jon Stewart']);
  });
});
