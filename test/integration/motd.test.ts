/** The message of the day (docs/protocol.md §10.5): a NOTICE to peers granted `notices`, else a MESSAGE from Server. */
import { describe, expect, it } from 'vitest';
import { MsgType } from '../../src/protocol/index.js';
import { ClassicPeer, FramedPeer, join, type AnyPeer } from '../helpers/clients.js';
import { framedUser } from '../helpers/requests.js';
import { trackPeers } from '../helpers/rig.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const MOTD = 'Welcome to Howdy!\nBe nice.';
let server: TestServer | undefined;
const { peers } = trackPeers(() => server);

/** A 64-byte NUL-padded name field, built by hand. */
const field = (name: string) => {
  const out = Buffer.alloc(64);
  Buffer.from(name).copy(out);
  return out;
};
const types = (p: AnyPeer) => p.received.map((m) => m.type);
/** The text of the first NOTICE the peer gets. */
async function noticeOf(p: AnyPeer): Promise<string | undefined> {
  await p.until(() => p.received.some((m) => m.type === MsgType.NOTICE), 'a NOTICE');
  return (p.received.find((m) => m.type === MsgType.NOTICE) as { fields: { text?: string } }).fields.text;
}

describe('the message of the day', () => {
  it('a framed peer granted notices gets a NOTICE after its user list; the others online get nothing', async () => {
    server = await startTestServer({ motd: MOTD });
    const bob = await framedUser(server.port, 'bob', { caps: ['notices'] });
    peers.push(bob);
    await bob.until(() => bob.received.some((m) => m.type === MsgType.NOTICE), 'the NOTICE');
    expect(types(bob).indexOf(MsgType.UPDATE)).toBeLessThan(types(bob).indexOf(MsgType.NOTICE));
    expect(bob.received.find((m) => m.type === MsgType.NOTICE)).toEqual({ type: MsgType.NOTICE, fields: { text: MOTD } });
    const amy = await framedUser(server.port, 'amy', { caps: ['notices'] });
    peers.push(amy);
    expect(await noticeOf(amy)).toBe(MOTD);
    await bob.take(MsgType.PRESENCE);
    expect(bob.received.filter((m) => m.type === MsgType.NOTICE)).toHaveLength(1);
    expect(bob.received.some((m) => m.type === MsgType.MESSAGE)).toBe(false);
  });

  it('a classic peer gets one MESSAGE from Server to All after its UPDATE, byte for byte; nobody else does', async () => {
    server = await startTestServer({ motd: 'Be nice.' });
    const bob = await join(ClassicPeer.open(server.port), 'bob');
    peers.push(bob);
    const expected = Buffer.concat([Buffer.of(0x05), field('Server'), field('All'), Buffer.from('Be nice.')]);
    await bob.until(() => bob.bytes.includes(expected), 'the message of the day');
    expect(expected.length).toBe(137);
    expect(types(bob)).toEqual([MsgType.UPDATE, MsgType.MESSAGE]); // the ACK was taken by join
    const amy = await join(ClassicPeer.open(server.port), 'amy');
    peers.push(amy);
    await amy.take(MsgType.MESSAGE, (m) => m.from === 'Server' && m.to === 'All' && m.text === 'Be nice.');
    await bob.until(() => bob.received.filter((m) => m.type === MsgType.UPDATE).length === 2, "amy's join");
    expect(bob.received.filter((m) => m.type === MsgType.MESSAGE)).toHaveLength(1);
  });

  it('a framed peer that did not ask for notices gets the MESSAGE form: no extension frame unasked (§10)', async () => {
    server = await startTestServer({ motd: MOTD });
    const bob = await join(FramedPeer.open(server.port), 'bob');
    peers.push(bob);
    await bob.take(MsgType.MESSAGE, (m) => m.from === 'Server' && m.to === 'All' && m.text === MOTD);
    expect(bob.received.some((m) => m.type >= MsgType.CAPS)).toBe(false);
  });

  it('without a message of the day nothing is sent; a new one applied while running reaches the next user', async () => {
    server = await startTestServer();
    const bob = await framedUser(server.port, 'bob', { caps: ['notices'] });
    peers.push(bob);
    server.apply({ motd: 'New rules.' });
    const amy = await framedUser(server.port, 'amy', { caps: ['notices'] });
    peers.push(amy);
    expect(await noticeOf(amy)).toBe('New rules.');
    expect(bob.received.some((m) => m.type === MsgType.NOTICE)).toBe(false);
  });

  it('a user logging in to an account gets it too', async () => {
    server = await startTestServer({ motd: MOTD });
    const ann = await framedUser(server.port, 'ann', { caps: ['accounts', 'notices'], password: 'correct horse' });
    peers.push(ann);
    expect(await noticeOf(ann)).toBe(MOTD);
  });
});
