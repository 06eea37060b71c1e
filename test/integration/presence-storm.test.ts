import { describe, expect, it } from 'vitest';
import { MsgType, PresenceOp, type HcpMessage } from '../../src/protocol/index.js';
import { ClassicPeer, FramedPeer } from '../helpers/clients.js';
import { trackPeers } from '../helpers/rig.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer | undefined;
const { track } = trackPeers(() => server);

/** A peer's view of who is online: each UPDATE replaces it, each PRESENCE entry changes it. */
function listOf(received: HcpMessage[]): string[] {
  let list: string[] = [];
  for (const m of received) {
    if (m.type === MsgType.UPDATE) list = [...m.names];
    else if (m.type === MsgType.PRESENCE) {
      for (const c of m.changes) list = c.op === PresenceOp.JOINED ? [...list, c.name] : list.filter((n) => n !== c.name);
    }
  }
  return list.sort();
}

describe('a join storm, with newcomers\' lists paced', () => {
  it('ends with every list exact: one full list each, no PRESENCE before it, none about oneself', async () => {
    // one full list per turn of the event loop: the storm's lists go out over many turns
    server = await startTestServer({ welcomeBytesPerTurn: 1 });
    const names = Array.from({ length: 40 }, (_, i) => `storm${String(i).padStart(2, '0')}`);
    const framed = await Promise.all(names.map((name) => FramedPeer.open(server!.port).then((p) => {
      track(p).send({ type: MsgType.PROPOSAL, name });
      return p;
    })));
    const classic = track(await ClassicPeer.open(server.port));
    classic.send({ type: MsgType.PROPOSAL, name: 'oldtimer' });
    // some leave while the storm's lists are still going out
    const leaving = framed.slice(0, 5);
    await Promise.all(leaving.map((p) => p.until(() => p.received.some((m) => m.type === MsgType.ACK), 'ACK')));
    for (const p of leaving) p.socket.destroy();

    const staying = framed.slice(5);
    const expected = [...names.slice(5), 'oldtimer'].sort();
    for (const [i, peer] of staying.entries()) {
      const me = names[i + 5]!;
      await peer.until(() => listOf(peer.received).join() === expected.join(), `${me}'s list to settle`);
      const lists = peer.received.filter((m) => m.type === MsgType.UPDATE);
      expect(lists, `${me} gets one full list`).toHaveLength(1);
      const firstList = peer.received.findIndex((m) => m.type === MsgType.UPDATE);
      expect(peer.received.slice(0, firstList).some((m) => m.type === MsgType.PRESENCE), `${me}: no PRESENCE before its list`).toBe(false);
      const aboutMe = peer.received.some((m) => m.type === MsgType.PRESENCE && m.changes.some((c) => c.name === me));
      expect(aboutMe, `${me} hears nothing of itself`).toBe(false);
    }
    // the classic peer keeps the seed's full UPDATE, its last one showing the result
    await classic.until(() => {
      const last = classic.received.filter((m) => m.type === MsgType.UPDATE).at(-1);
      return last?.type === MsgType.UPDATE && [...last.names].sort().join() === expected.join();
    }, 'the classic list to settle');
  });
});
