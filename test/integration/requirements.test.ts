/**
 * The seed's twelve requirements (and the 2016 report's test scenarios) over real sockets, once
 * with classic HCP/1 peers and once with framed HCP/2 peers. Scenario → tests:
 *   Single client connection / username registration ....... "registers a name"
 *   Multiple client connection ................................ "several clients"
 *   Multiple client username negotiation (duplicates) ......... "duplicate names"
 *   Broadcast message exchange ................................ "broadcast"
 *   Whisper message ........................................... "whisper"
 *   Texting while receiving messages .......................... "both directions at once"
 *   Single / multiple users go offline ........................ "goes offline", "abrupt"
 *   Server configuration ...................................... test/cli/server-cli.test.ts
 *   Client GUI ................................................ client suites
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { MsgType, type HcpMessage } from '../../src/protocol/index.js';
import { ClassicPeer, FramedPeer, join, textsOf, type AnyPeer } from '../helpers/clients.js';
import { trackPeers } from '../helpers/rig.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

type Form = 'classic' | 'framed';
const open = (form: Form, port: number): Promise<AnyPeer> => (form === 'classic' ? ClassicPeer.open(port) : FramedPeer.open(port));

/** Waits until `peer`'s view of the user list (UPDATEs and PRESENCE applied) equals `names`. */
async function expectList(peer: AnyPeer, names: string[]): Promise<void> {
  const list = (): string[] => {
    let current: string[] = [];
    for (const m of peer.received) {
      if (m.type === MsgType.UPDATE) current = [...m.names];
      if (m.type === MsgType.PRESENCE) {
        for (const c of m.changes) current = c.op === 1 ? [...current, c.name] : current.filter((n) => n !== c.name);
      }
    }
    return current;
  };
  await peer.until(() => JSON.stringify([...list()].sort()) === JSON.stringify([...names].sort()), `user list ${names}`);
}
const chat = (from: string, to: string, text: string): HcpMessage => ({ type: MsgType.MESSAGE, from, to, text });

for (const form of ['classic', 'framed'] as const) {
  describe(`seed requirements over ${form} HCP`, () => {
    let server: TestServer;
    const { track } = trackPeers(() => server);
    const user = async (name: string) => track(await join(open(form, server.port), name));
    beforeEach(async () => (server = await startTestServer()));

    it('registers a name chosen by the client, and shows the list with it (req. 3, 8)', async () => {
      const p = track(await open(form, server.port));
      p.send({ type: MsgType.PROPOSAL, name: 'Jon Stewart' });
      expect(await p.take(MsgType.ACK)).toEqual({ type: MsgType.ACK, name: 'Jon Stewart' });
      expect(await p.take(MsgType.UPDATE)).toEqual({ type: MsgType.UPDATE, names: ['Jon Stewart'] });
    });

    it('several clients see each other and every change of the list (req. 1, 7)', async () => {
      const a = await user('a');
      const b = await user('b');
      const c = await user('c');
      for (const p of [a, b, c]) await expectList(p, ['a', 'b', 'c']);
      if (form === 'framed') {
        // framed peers get the full list once, then PRESENCE deltas (docs/protocol.md §5.3)
        expect(a.received.filter((m) => m.type === MsgType.UPDATE)).toHaveLength(1);
        expect(a.received.some((m) => m.type === MsgType.PRESENCE)).toBe(true);
      }
      b.socket.destroy();
      for (const p of [a, c]) await expectList(p, ['a', 'c']);
    });

    it('duplicate names are refused in any case, and the client may try again (req. 6)', async () => {
      await user('Alice');
      const p = track(await open(form, server.port));
      for (const name of ['alice', 'ALICE', 'All', 'server']) {
        p.send({ type: MsgType.PROPOSAL, name });
        expect(await p.take(MsgType.NAK)).toEqual({ type: MsgType.NAK, name });
      }
      if (form === 'framed') {
        const errors = p.received.filter((m) => m.type === MsgType.ERROR);
        expect(errors.map((e) => e.type === MsgType.ERROR && e.code)).toEqual([0x0203, 0x0203, 0x0202, 0x0202]);
      } else {
        expect(p.received.filter((m) => m.type === MsgType.ERROR)).toEqual([]);
      }
      p.send({ type: MsgType.PROPOSAL, name: 'Bob' });
      expect(await p.take(MsgType.ACK)).toEqual({ type: MsgType.ACK, name: 'Bob' });
    });

    it('a broadcast reaches everyone but its sender (req. 1, 10)', async () => {
      const a = await user('a');
      const b = await user('b');
      const c = await user('c');
      a.send(chat('a', 'All', 'hello all'));
      expect(await b.take(MsgType.MESSAGE)).toEqual(chat('a', 'All', 'hello all'));
      expect(await c.take(MsgType.MESSAGE)).toEqual(chat('a', 'All', 'hello all'));
      c.send(chat('c', 'a', 'marker'));
      await a.take(MsgType.MESSAGE);
      expect(a.received.filter((m) => m.type === MsgType.MESSAGE)).toEqual([]);
    });

    it('a whisper reaches only its receiver (req. 2)', async () => {
      const a = await user('a');
      const b = await user('b');
      const c = await user('c');
      a.send(chat('a', 'b', 'secret'));
      expect(await b.take(MsgType.MESSAGE)).toEqual(chat('a', 'b', 'secret'));
      a.send(chat('a', 'All', 'public'));
      expect(await c.take(MsgType.MESSAGE)).toEqual(chat('a', 'All', 'public'));
      expect(c.received.filter((m) => m.type === MsgType.MESSAGE)).toEqual([]);
    });

    it('both directions at once: many messages each way arrive complete and in order (req. 11)', async () => {
      const a = await user('a');
      const b = await user('b');
      const n = 90; // within the default burst of 100 (flood control is tested on its own)
      for (let i = 0; i < n; i++) {
        a.send(chat('a', 'b', `a${i}`));
        b.send(chat('b', 'a', `b${i}`));
      }
      await a.until(() => textsOf(a).length === n, 'all of b');
      await b.until(() => textsOf(b).length === n, 'all of a');
      expect(textsOf(a)).toEqual(Array.from({ length: n }, (_, i) => `b${i}`));
      expect(textsOf(b)).toEqual(Array.from({ length: n }, (_, i) => `a${i}`));
    });

    it('a sender\'s broadcasts and whispers reach each receiver in the order sent', async () => {
      const a = await user('a');
      const b = await user('b');
      const c = await user('c');
      const n = 40;
      for (let i = 0; i < n; i++) {
        a.send(chat('a', i % 3 === 0 ? 'b' : 'All', `x${i}`));
        if (form === 'classic') await new Promise((r) => setTimeout(r, 2)); // one classic message per read
      }
      await b.until(() => textsOf(b).length === n, 'all of them');
      expect(textsOf(b)).toEqual(Array.from({ length: n }, (_, i) => `x${i}`));
      await c.until(() => textsOf(c).length === n - Math.ceil(n / 3), 'the broadcasts');
      expect(textsOf(c)).toEqual(Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 0).map((i) => `x${i}`));
    });

    it('a user going offline is told to the rest, who chat on undisturbed (req. 5, 9, 12)', async () => {
      const a = await user('a');
      const b = await user('b');
      const c = await user('c');
      const d = await user('d');
      b.end(); // polite
      d.socket.resetAndDestroy(); // abrupt (RST)
      for (const p of [a, c]) await expectList(p, ['a', 'c']);
      a.send(chat('a', 'c', 'still here?'));
      expect(await c.take(MsgType.MESSAGE)).toEqual(chat('a', 'c', 'still here?'));
      const e = await user('e');
      await expectList(e, ['a', 'c', 'e']);
    });

    it('the server prints its operations (req. 4)', async () => {
      const a = await user('a');
      await user('b');
      a.send(chat('a', 'b', 'hi'));
      await new Promise((r) => setTimeout(r, 50));
      a.socket.destroy();
      await new Promise((r) => setTimeout(r, 50));
      const msgs = server.logs.map((l) => l.msg);
      for (const m of ['connection opened', 'name proposed', 'name accepted', 'message relayed', 'connection closed']) {
        expect(msgs).toContain(m);
      }
      const relayed = server.logs.find((l) => l.msg === 'message relayed')!;
      expect(relayed).toMatchObject({ from: 'a', to: 'b', bytes: 2, receivers: 1 });
      expect(relayed).not.toHaveProperty('text');
    });
  });
}
