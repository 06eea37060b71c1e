/**
 * Nothing said is lost (docs/protocol.md §11): numbered traffic from several clients, `kill -9` of
 * the server in the middle, a restart on the same data folder. Every message any client received
 * is in the history, and every client that comes back catches up exactly once: its log then equals
 * the history, every message once, in order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MsgType, type ExtensionFields, type RequestType } from '../../src/protocol/index.js';
import { FramedPeer } from '../helpers/clients.js';
import { ask, framedUser } from '../helpers/requests.js';
import { exited, freePort, howdy } from '../helpers/spawn.js';
import { tempFolder } from '../helpers/store.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(data: string, port: number) {
  const child = howdy(['server', '--port', String(port), '--no-http', '--log-format', 'json', '--log-level', 'warn', '--data', data, '--msg-rate', '0']);
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) break;
    try {
      const probe = await FramedPeer.open(port);
      probe.end();
      return child;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`the server did not start: ${child.output()}`);
}

async function user(port: number, name: string, create: boolean): Promise<FramedPeer> {
  const peer = await framedUser(port, name, { password: `${name} password`, create, caps: ['accounts', 'history'] });
  cleanups.push(() => peer.end());
  return peer;
}

type Entry = { msgId: number; text: string };
const stamped = (peer: FramedPeer): Entry[] => peer.received.flatMap((m) => (m.type === MsgType.STAMPED ? [m.fields as Entry] : []));

/** Every entry of a request answered in pages (MORE), from AFTER on. */
async function allPages(peer: FramedPeer, type: RequestType, fields: ExtensionFields): Promise<Entry[]> {
  const out: Entry[] = [];
  let after = 0;
  for (;;) {
    const page = await ask(peer, type, { ...fields, after: out.at(-1)?.msgId ?? (fields.after as number | undefined) ?? after, limit: 200 });
    out.push(...((page.entry ?? []) as Entry[]));
    if (!page.more) return out;
    after = out.at(-1)!.msgId;
  }
}

describe('history survives kill -9', () => {
  it('what any client received is stored; each client catches up exactly once after the restart', async () => {
    const data = tempFolder();
    cleanups.push(data.remove);
    const port = await freePort();
    const first = await server(data.path, port);
    const names = ['ann', 'ben', 'cid'];
    const clients = await Promise.all(names.map((n) => user(port, n, true)));

    // numbered traffic from every client until the server is killed in the middle of it
    let sending = true;
    const counts = names.map(() => 0);
    const pump = setInterval(() => {
      if (!sending) return;
      clients.forEach((c, i) => {
        for (let k = 0; k < 5; k++) c.send({ type: MsgType.MESSAGE, from: names[i]!, to: 'All', text: `${names[i]} ${counts[i]!++}` });
      });
    }, 1);
    await Promise.all(clients.map((c) => c.until(() => stamped(c).length > 600, 'traffic', 15_000)));
    first.kill('SIGKILL');
    await exited(first);
    sending = false;
    clearInterval(pump);
    const before = clients.map((c) => stamped(c));
    for (const c of clients) c.end();

    await server(data.path, port);
    const reader = await user(port, 'ann', false);
    // the same history: the same epoch, so the clients' cursors still mean what they meant (§11)
    const epochOf = (p: FramedPeer) => (p.received.find((m) => m.type === MsgType.REPLY && 'caps' in m.fields) as { fields: { epoch?: string } }).fields.epoch;
    expect(epochOf(reader)).toMatch(/^[0-9a-z]+$/);
    expect(epochOf(reader)).toBe(epochOf(clients[0]!));
    const history = await allPages(reader, MsgType.HISTORY, { conversation: 'All' });
    const stored = new Map(history.map((e) => [e.msgId, e.text]));
    // every message any client received is in the history, as received
    for (const got of before) for (const e of got) expect(stored.get(e.msgId), `message ${e.msgId}`).toBe(e.text);
    expect(history.map((e) => e.msgId)).toEqual([...stored.keys()].sort((a, b) => a - b)); // ids in order, once each
    reader.end();

    // each comes back and catches up: what it saw and what it is given are the history, once, in order
    for (const [i, name] of names.entries()) {
      const back = await user(port, name, false);
      const seen = before[i]!;
      const caughtUp = await allPages(back, MsgType.CATCH_UP, { after: seen.at(-1)!.msgId });
      expect([...seen, ...caughtUp].map((e) => e.msgId), name).toEqual(history.map((e) => e.msgId));
      back.end();
    }
  }, 60_000);
});
