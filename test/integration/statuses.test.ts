/**
 * Live statuses over real sockets, as a client written from docs/protocol.md §10.3 alone sees them
 * (raw frames): a newcomer's first STATUS after its user list, each change told to the others, a
 * stored status coming back with a login after its join, and nothing new for classic peers nor for
 * HCP/2 peers that did not ask for `accounts`.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, MsgType, type ExtensionFields } from '../../src/protocol/index.js';
import { ClassicPeer, FramedPeer, join, type AnyPeer } from '../helpers/clients.js';
import { ask, framedUser, refusal, type UserOptions } from '../helpers/requests.js';
import { trackPeers } from '../helpers/rig.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer | undefined;
const { peers } = trackPeers(() => server);

async function user(name: string, options: UserOptions = {}): Promise<FramedPeer> {
  const peer = await framedUser(server!.port, name, options);
  peers.push(peer);
  return peer;
}

const PASSWORD = 'correct horse';
/** The entries of each STATUS frame a peer received, in order. */
const statuses = (peer: AnyPeer): ExtensionFields[][] => peer.received.flatMap((m) => (m.type === MsgType.STATUS ? [m.fields.entry ?? []] : []));
const indexOf = (peer: AnyPeer, type: number) => peer.received.findIndex((m) => m.type === type);

/** Sends a lobby message from `from` and waits until `peer` has it: what `peer` got before it has arrived too. */
async function sentinel(from: FramedPeer, name: string, peer: AnyPeer, text: string): Promise<void> {
  from.send({ type: MsgType.MESSAGE, from: name, to: 'All', text });
  await peer.until(() => peer.received.some((m) => m.type === MsgType.MESSAGE && m.text === text), `"${text}"`);
}

describe('statuses (docs/protocol.md §10.3, STATUS)', () => {
  it('a newcomer gets everyone away or busy after its user list; a change reaches every other peer granted accounts, and nobody else', async () => {
    server = await startTestServer({ loginDelayMs: 50 });
    const alice = await user('alice', { password: PASSWORD });
    const bob = await user('bob', { password: PASSWORD });
    const classic = await join(ClassicPeer.open(server.port), 'dave');
    peers.push(classic);
    const plain = await user('erin', { caps: [] }); // an HCP/2 client that asked for nothing

    expect(await ask(alice, MsgType.PROFILE_SET, { status: 'away', statusMessage: 'lunch' })).toMatchObject({ status: 'away', statusMessage: 'lunch' });
    expect(await ask(bob, MsgType.PROFILE_SET, { status: 'busy' })).toMatchObject({ status: 'busy', statusMessage: '' });
    await alice.until(() => statuses(alice).length === 1, "bob's status");
    expect(statuses(alice)).toEqual([[{ name: 'bob', status: 'busy' }]]); // not her own: she has the REPLY
    expect(statuses(bob)).toEqual([[{ name: 'alice', status: 'away', statusMessage: 'lunch' }]]);

    const carol = await user('carol'); // a guest granted accounts
    await carol.until(() => statuses(carol).length === 1, 'the first STATUS');
    expect(statuses(carol)).toEqual([[{ name: 'alice', status: 'away', statusMessage: 'lunch' }, { name: 'bob', status: 'busy' }]]);
    expect(indexOf(carol, MsgType.STATUS)).toBeGreaterThan(indexOf(carol, MsgType.UPDATE));

    // guests have no status to set
    expect(await refusal(ask(carol, MsgType.PROFILE_SET, { status: 'away' }))).toBe(ErrorCode.NOT_LOGGED_IN);

    const classicBytes = classic.bytes.length;
    const plainBefore = plain.received.length;
    expect(await ask(alice, MsgType.PROFILE_SET, { status: 'available', statusMessage: '' })).toMatchObject({ status: 'available' });
    // only the status message changes: news too
    expect(await ask(bob, MsgType.PROFILE_SET, { statusMessage: 'deploying' })).toMatchObject({ status: 'busy', statusMessage: 'deploying' });
    // the about text is no status: nobody is told
    await ask(bob, MsgType.PROFILE_SET, { about: 'I run the servers' });
    await sentinel(bob, 'bob', carol, 'done');
    expect(statuses(carol).slice(1)).toEqual([[{ name: 'alice', status: 'available' }], [{ name: 'bob', status: 'busy', statusMessage: 'deploying' }]]);
    await bob.until(() => statuses(bob).length === 2, "alice's change");
    expect(statuses(bob)[1]).toEqual([{ name: 'alice', status: 'available' }]);

    await sentinel(bob, 'bob', classic, 'done');
    await sentinel(bob, 'bob', plain, 'done');
    // the classic peer's bytes since: exactly the one MESSAGE (type, two 64-byte names, the text)
    expect(classic.bytes.length - classicBytes).toBe(1 + 64 + 64 + 'done'.length);
    expect(plain.received.slice(plainBefore).map((m) => m.type)).toEqual([MsgType.MESSAGE]);
    expect(statuses(plain)).toEqual([]);
  });

  it('nobody away: no STATUS; a stored status comes back with its login, after the join, and goes with the account', async () => {
    server = await startTestServer({ loginDelayMs: 50 });
    const watcher = await user('carol');
    const alice = await user('alice', { password: PASSWORD });
    await sentinel(alice, 'alice', watcher, 'hi');
    expect(statuses(watcher)).toEqual([]);
    expect(statuses(alice)).toEqual([]);

    await ask(alice, MsgType.PROFILE_SET, { status: 'away', statusMessage: 'back at 3' });
    alice.end();
    await watcher.take(MsgType.PRESENCE, (m) => m.changes.some((c) => c.op === 0x02 && c.name === 'alice'));
    watcher.received.length = 0;

    const again = await user('ALICE', { password: PASSWORD, create: false });
    await watcher.until(() => statuses(watcher).length === 1, "alice's stored status");
    expect(statuses(watcher)).toEqual([[{ name: 'alice', status: 'away', statusMessage: 'back at 3' }]]);
    const joinedAt = watcher.received.findIndex((m) => m.type === MsgType.PRESENCE && m.changes.some((c) => c.op === 0x01 && c.name === 'alice'));
    expect(joinedAt).toBeGreaterThanOrEqual(0);
    expect(indexOf(watcher, MsgType.STATUS)).toBeGreaterThan(joinedAt);
    // her own first STATUS shows her too, after her user list
    await again.until(() => statuses(again).length === 1, 'her first STATUS');
    expect(statuses(again)).toEqual([[{ name: 'alice', status: 'away', statusMessage: 'back at 3' }]]);
    expect(indexOf(again, MsgType.STATUS)).toBeGreaterThan(indexOf(again, MsgType.UPDATE));

    // deleting the account leaves a guest online: available
    await ask(again, MsgType.ACCOUNT_DELETE, { password: PASSWORD }, 15_000);
    await watcher.until(() => statuses(watcher).length === 2, 'the guest she is now');
    expect(statuses(watcher)[1]).toEqual([{ name: 'alice', status: 'available' }]);
  });
});
