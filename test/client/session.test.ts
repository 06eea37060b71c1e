/** The client session both clients run, against a real server over real sockets. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatClient } from '../../src/client/client.js';
import { ChatSession, type SessionEvents, type SessionOptions } from '../../src/client/session.js';
import { connect } from '../../src/client/tcp.js';
import { ErrorCode } from '../../src/protocol/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const servers: TestServer[] = [];
const closers: Array<{ close(): void }> = [];
afterEach(async () => {
  closers.splice(0).forEach((c) => c.close());
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
}

/** A session on `port` (fast retries, so tests do not wait seconds). */
function session(port: number, options: SessionOptions = {}): ChatSession {
  const s = new ChatSession(() => connect('127.0.0.1', port), { firstRetryMs: 200, rejoinWaitMs: 200, ...options });
  closers.push(s);
  s.start();
  return s;
}

/** The first event of `type` that passes `check`. */
function next<K extends keyof SessionEvents>(s: ChatSession, type: K, check: (e: SessionEvents[K]) => boolean = () => true) {
  return new Promise<SessionEvents[K]>((resolve) => {
    const off = s.on(type, (e) => {
      if (check(e)) {
        off();
        resolve(e);
      }
    });
  });
}

async function joined(s: ChatSession, name: string): Promise<ChatSession> {
  const accepted = next(s, 'joined');
  s.join(name);
  expect(await accepted).toEqual({ name, again: false });
  return s;
}

async function plainClient(port: number, name: string): Promise<ChatClient> {
  const c = await connect('127.0.0.1', port);
  closers.push(c);
  const initial = c.once('users');
  expect(await c.register(name)).toMatchObject({ accepted: true });
  await initial;
  return c;
}

/** Texts `c` receives, in order. */
function inbox(c: ChatClient): string[] {
  const texts: string[] = [];
  c.on('message', (m) => texts.push(m.text));
  return texts;
}

describe('client session', () => {
  it('reconnects after the server restarts on the same port, under the same name', async () => {
    const first = await serve();
    const port = first.port;
    const alice = await joined(session(port), 'alice');
    const states: string[] = [];
    alice.on('state', (s) => states.push(s.kind));

    const lost = next(alice, 'state', (s) => s.kind === 'disconnected');
    await first.close();
    servers.splice(0);
    expect(await lost).toMatchObject({ kind: 'disconnected', reason: 'the server is shutting down', retryInMs: 200 });
    expect(() => alice.send('anyone?')).toThrow(/not connected: reconnecting/);

    const back = next(alice, 'joined');
    const second = await serve({ port });
    expect(await back).toEqual({ name: 'alice', again: true });
    expect(states).toEqual(['disconnected', 'connecting', 'naming', 'joined']);

    const bob = await plainClient(second.port, 'bob');
    const got = bob.once('message');
    alice.send('howdy again');
    expect(await got).toMatchObject({ from: 'alice', to: 'All', text: 'howdy again' });
  });

  it('asks for accounts, and after a restart logs in again with the password last set (held in memory)', async () => {
    const data = mkdtempSync(join(tmpdir(), 'howdy-session-'));
    try {
      const first = await serve({ data, ephemeral: false });
      const port = first.port;
      const alice = await joined(session(port), 'alice');
      expect(alice.accounts).toBe(true);
      expect(alice.loggedIn).toBe(false);
      await alice.createAccount('first secret');
      await alice.changePassword('first secret', 'second secret');
      expect(alice.loggedIn).toBe(true);
      await first.close();
      servers.splice(0);

      const back = next(alice, 'joined');
      const second = await serve({ port, data, ephemeral: false });
      expect(await back).toEqual({ name: 'alice', again: true, loggedIn: true });
      expect((await alice.whois('alice')).registered).toBe(true);
      // a guest cannot have the name: it is the account's
      const guest = await connect('127.0.0.1', second.port);
      closers.push(guest);
      expect(await guest.register('ALICE')).toMatchObject({ accepted: false, code: ErrorCode.NAME_REGISTERED });
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('logs in to a registered name; a wrong password is refused and forgotten', async () => {
    const server = await serve();
    const owner = await joined(session(server.port), 'carol');
    await owner.createAccount('carol secret');
    owner.close();

    const s = session(server.port);
    await next(s, 'state', (st) => st.kind === 'naming');
    const refused = next(s, 'refused');
    s.login('carol', 'a guess');
    expect(await refused).toMatchObject({ name: 'carol', code: ErrorCode.LOGIN_FAILED });
    expect(s.loggedIn).toBe(false);
    await new Promise((r) => setTimeout(r, 1100)); // the server slows guessing: 1 s after a failure
    const taken = next(s, 'joined');
    s.login('CAROL', 'carol secret');
    expect(await taken).toEqual({ name: 'carol', again: false, loggedIn: true });
    expect(s.loggedIn).toBe(true);
    await s.deleteAccount('carol secret');
    expect(s.loggedIn).toBe(false);
    expect(await s.whois('carol')).toMatchObject({ name: 'carol', online: true, registered: false });
  });

  it('on a server that admits only users who log in, signs up before joining, and logs in (not signs up) after a reconnect', async () => {
    const data = mkdtempSync(join(tmpdir(), 'howdy-session-'));
    try {
      const first = await serve({ accounts: 'required', data, ephemeral: false });
      const port = first.port;
      const s = session(port);
      await next(s, 'state', (st) => st.kind === 'naming');
      const refused = next(s, 'refused');
      s.join('dora');
      expect(await refused).toMatchObject({ name: 'dora', code: ErrorCode.LOGIN_REQUIRED });
      const joinedAs = next(s, 'joined');
      s.signUp('dora', 'dora secret');
      expect(await joinedAs).toEqual({ name: 'dora', again: false, loggedIn: true });
      await first.close();
      servers.splice(0);
      const back = next(s, 'joined');
      await serve({ port, accounts: 'required', data, ephemeral: false });
      expect(await back).toEqual({ name: 'dora', again: true, loggedIn: true }); // an account made twice would be refused
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('waits for its name to be free again after a reconnect, then takes it back', async () => {
    const first = await serve();
    const port = first.port;
    const alice = await joined(session(port), 'alice');
    await first.close();
    servers.splice(0);
    const second = await serve({ port });
    // someone holds "alice" when the session comes back (as the old connection would, unnoticed)
    const holder = await plainClient(second.port, 'alice');
    const waiting = await next(alice, 'state', (s) => s.kind === 'naming' && s.waitingFor !== undefined);
    expect(waiting).toEqual({ kind: 'naming', waitingFor: 'alice' });
    const back = next(alice, 'joined');
    holder.close();
    expect(await back).toEqual({ name: 'alice', again: true });
  });

  it('reconnects after the registration timeout, and joins when a name is then given', async () => {
    const server = await serve({ registrationTimeoutMs: 300 });
    const s = session(server.port);
    const dropped = await next(s, 'state', (st) => st.kind === 'disconnected');
    expect(dropped).toMatchObject({ reason: expect.stringContaining('no name was accepted') });
    await next(s, 'state', (st) => st.kind === 'naming');
    await joined(s, 'dora');
  });

  it('keeps a whisper target who leaves, refuses to send to them, and sends again when they are back', async () => {
    const server = await serve();
    const alice = await joined(session(server.port), 'alice');
    const carol = await plainClient(server.port, 'carol');
    const carolGot = inbox(carol);
    let bob = await plainClient(server.port, 'bob');
    await expect.poll(() => alice.users).toContain('bob');
    alice.setTarget('bob');

    const gone = next(alice, 'target');
    bob.close();
    expect(await gone).toEqual({ target: 'bob', present: false });
    expect(alice.target).toBe('bob');
    expect(() => alice.send('for bob only')).toThrow(expect.objectContaining({ code: ErrorCode.UNKNOWN_RECEIVER, message: 'bob left; /all to talk to everyone' }));

    const back = next(alice, 'target');
    bob = await plainClient(server.port, 'Bob');
    expect(await back).toEqual({ target: 'Bob', present: true });
    const bobGot = bob.once('message');
    alice.send('welcome back');
    expect(await bobGot).toMatchObject({ from: 'alice', to: 'Bob', text: 'welcome back' });

    // nothing of the refused whisper reached anyone: carol's first message is this one
    alice.send('to all', 'All');
    await expect.poll(() => carolGot).toEqual(['to all']);
  });

  it('sends a 10 000-byte text as three messages, in order, each within the limit', async () => {
    const server = await serve();
    const alice = await joined(session(server.port), 'alice');
    const bob = await plainClient(server.port, 'bob');
    const got = inbox(bob);
    const words = Array.from({ length: 2000 }, (_, i) => `w${String(i).padStart(3, '0')}`);
    const text = words.join(' '); // 9 999 bytes
    expect(alice.send(`${text}!`)).toBe(3);
    await expect.poll(() => got.length).toBe(3);
    for (const part of got) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(3967);
    expect(got.join(' ')).toBe(`${text}!`); // cut at spaces, nothing lost, in order
    expect(alice.lastWhisperer).toBeUndefined();
  });

  it('paces many messages under the flood limit: none dropped, the sender stays', async () => {
    const server = await serve({ messageRate: 5, messageBurst: 5 });
    const alice = await joined(session(server.port, { messagesPerSecond: 4 }), 'alice');
    const bob = await plainClient(server.port, 'bob');
    await expect.poll(() => alice.users).toContain('bob');
    const got = inbox(bob);
    const errors: string[] = [];
    alice.on('error', (e) => errors.push(e.reason));
    const texts = Array.from({ length: 12 }, (_, i) => `line ${i}`);
    for (const t of texts) alice.send(t);
    await expect.poll(() => got, { timeout: 8000 }).toEqual(texts);
    expect(errors).toEqual([]);
    expect(alice.state.kind).toBe('joined');
  });

  it('remembers who whispered last, for /r', async () => {
    const server = await serve();
    const alice = await joined(session(server.port), 'alice');
    const bob = await plainClient(server.port, 'bob');
    await expect.poll(() => alice.users).toContain('bob');
    const whisper = next(alice, 'message');
    bob.send('alice', 'psst');
    await whisper;
    expect(alice.lastWhisperer).toBe('bob');
  });
});
