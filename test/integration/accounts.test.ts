/**
 * Accounts and profiles over real sockets, on a real SQLite store (docs/protocol.md §10.3): a guest
 * registers its name, the name is protected, its owner logs in again (after a restart too),
 * passwords are throttled and never logged, profiles are looked up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatClient } from '../../src/client/client.js';
import { connect } from '../../src/client/tcp.js';
import { ErrorCode, MsgType } from '../../src/protocol/index.js';
import type { ServerOptions } from '../../src/server/options.js';
import { ClassicPeer } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer | undefined;
const clients: ChatClient[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = undefined;
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

/** A server keeping its data in memory, or in `data` when given. */
async function start(options: Partial<ServerOptions> = {}, data?: string): Promise<TestServer> {
  server = await startTestServer({ loginDelayMs: 300, ...options, ...(data !== undefined && { data, ephemeral: false }) });
  return server;
}

/** A client that asked for the accounts capability, not yet named. */
async function client(): Promise<ChatClient> {
  const c = await connect('127.0.0.1', server!.port);
  clients.push(c);
  expect(await c.requestCapabilities(['accounts'])).toEqual(['accounts']);
  return c;
}
const refusal = (p: Promise<unknown>) => p.then(() => 'accepted', (err: { code: number }) => err.code);

describe('accounts', () => {
  it('a guest registers its name; the name is then protected from guests (framed and classic); its owner logs in in any case', async () => {
    await start();
    const alice = await client();
    expect(await alice.register('Alice')).toMatchObject({ accepted: true });
    await alice.createAccount('correct horse');
    alice.close();
    await expect.poll(() => server!.core.names()).toEqual([]);

    const guest = await connect('127.0.0.1', server!.port);
    clients.push(guest);
    expect(await guest.register('alice')).toMatchObject({ accepted: false, code: ErrorCode.NAME_REGISTERED });
    const old = await ClassicPeer.open(server!.port);
    old.send({ type: MsgType.PROPOSAL, name: 'ALICE' });
    expect(await old.take(MsgType.NAK)).toEqual({ type: MsgType.NAK, name: 'ALICE' });
    old.socket.destroy();

    const back = await client();
    await back.login('ALICE', 'correct horse');
    expect(back.name).toBe('Alice');
    expect(server!.core.names()).toEqual(['Alice']);
    expect(server!.logs.some((l) => JSON.stringify(l).includes('correct horse'))).toBe(false); // never logged
  });

  it('a wrong password is refused, and guessing is slowed: the next try must wait, growing', async () => {
    await start({ loginDelayMs: 400 });
    const owner = await client();
    await owner.createAccount('open sesame', 'bob');
    owner.close();
    const guesser = await client();
    expect(await refusal(guesser.login('bob', 'wrong one'))).toBe(ErrorCode.LOGIN_FAILED);
    expect(await refusal(guesser.login('bob', 'open sesame'))).toBe(ErrorCode.LOGIN_THROTTLED); // even the right one, too soon
    await new Promise((r) => setTimeout(r, 450));
    expect(await refusal(guesser.login('bob', 'wrong two'))).toBe(ErrorCode.LOGIN_FAILED);
    expect(await refusal(guesser.login('bob', 'open sesame'))).toBe(ErrorCode.LOGIN_THROTTLED);
    await new Promise((r) => setTimeout(r, 450));
    expect(await refusal(guesser.login('bob', 'open sesame'))).toBe(ErrorCode.LOGIN_THROTTLED); // 800 ms now
    await new Promise((r) => setTimeout(r, 400));
    await guesser.login('bob', 'open sesame');
    expect(guesser.name).toBe('bob');
    expect(server!.logs.filter((l) => l.msg === 'login failed')).toHaveLength(2);
  });

  it('accounts and profiles outlive a restart of the server on the same data folder', async () => {
    const data = mkdtempSync(joinPath(tmpdir(), 'howdy-accounts-'));
    folders.push(data);
    await start({}, data);
    const carol = await client();
    await carol.createAccount('s3cret pass', 'carol');
    expect(await carol.setProfile({ displayName: 'Carol C.', status: 'away', statusMessage: 'at lunch' })).toMatchObject({ status: 'away' });
    await server!.close();

    await start({}, data);
    const guest = await connect('127.0.0.1', server!.port);
    clients.push(guest);
    expect(await guest.register('Carol')).toMatchObject({ accepted: false, code: ErrorCode.NAME_REGISTERED }); // still protected
    const looker = await client();
    expect(await looker.register('looker')).toMatchObject({ accepted: true });
    const seen = await looker.whois('carol'); // she was online until the server stopped
    expect(seen).toMatchObject({ name: 'carol', online: false, registered: true, status: 'away' });
    expect(Date.now() - Date.parse(seen.lastSeen!)).toBeLessThan(60_000);
    const again = await client();
    await again.login('carol', 's3cret pass');
    const other = await client();
    expect(await other.register('dave')).toMatchObject({ accepted: true });
    expect(await other.whois('CAROL')).toEqual({
      name: 'carol', online: true, registered: true, displayName: 'Carol C.', about: '', status: 'away', statusMessage: 'at lunch',
    });
  });

  it('whois of a guest, of nobody; password change; account deletion frees the name for guests', async () => {
    await start();
    const eve = await client();
    expect(await eve.register('eve')).toMatchObject({ accepted: true });
    expect(await eve.whois('eve')).toEqual({ name: 'eve', online: true, registered: false });
    expect(await refusal(eve.whois('nobody'))).toBe(ErrorCode.NO_SUCH_USER);
    expect(await refusal(eve.changePassword('x', 'y'))).toBe(ErrorCode.NOT_LOGGED_IN);
    expect(await refusal(eve.createAccount('short'))).toBe(ErrorCode.PASSWORD_INVALID);
    await eve.createAccount('first password');
    expect(await refusal(eve.setProfile({ status: 'asleep' }))).toBe(ErrorCode.PROFILE_INVALID);
    await eve.changePassword('first password', 'second password');
    expect(await refusal(eve.deleteAccount('first password'))).toBe(ErrorCode.LOGIN_FAILED);
    await new Promise((r) => setTimeout(r, 350)); // the failure's wait
    await eve.deleteAccount('second password');
    expect(await eve.whois('eve')).toEqual({ name: 'eve', online: true, registered: false });
    eve.close();
    await expect.poll(() => server!.core.names()).toEqual([]);
    const guest = await connect('127.0.0.1', server!.port);
    clients.push(guest);
    expect(await guest.register('Eve')).toMatchObject({ accepted: true });
  });

  it('--accounts required admits only users who log in: a proposal gets NAK and LOGIN_REQUIRED; an account made before the name logs in', async () => {
    await start({ accounts: 'required' });
    const guest = await connect('127.0.0.1', server!.port);
    clients.push(guest);
    expect(await guest.register('frank')).toMatchObject({ accepted: false, code: ErrorCode.LOGIN_REQUIRED });
    const old = await ClassicPeer.open(server!.port);
    old.send({ type: MsgType.PROPOSAL, name: 'x' });
    expect(await old.take(MsgType.NAK)).toEqual({ type: MsgType.NAK, name: 'x' });
    old.socket.destroy();
    const frank = await client();
    await frank.createAccount('frank frank', 'frank');
    expect(frank.name).toBe('frank');
    expect(server!.logs.some((l) => l.code === 'LOGIN_REQUIRED')).toBe(true);
  });

  it('requests need the capability; a store that fails fails that request only (STORE_FAILED), the chat goes on', async () => {
    await start();
    const plain = await connect('127.0.0.1', server!.port);
    clients.push(plain);
    expect(await refusal(plain.whois('x'))).toBe(ErrorCode.REQUEST_INVALID); // the client library checks first
    const gina = await client();
    await gina.createAccount('gina gina gina', 'gina');
    const hank = await client();
    expect(await hank.register('hank')).toMatchObject({ accepted: true });
    await expect.poll(() => gina.users).toContain('hank');
    await server!.store.close(); // the engine goes away under the server
    expect(await refusal(gina.setProfile({ about: 'hi' }))).toBe(ErrorCode.STORE_FAILED);
    const got = new Promise((resolve) => hank.on('message', (m) => resolve(m.text)));
    gina.send('hank', 'still talking');
    expect(await got).toBe('still talking');
    expect(server!.logs.some((l) => l.msg === 'store failed')).toBe(true);
  });
});
