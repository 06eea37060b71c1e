/**
 * The core's seams: a directory that answers a claim later (as one checking a password, or shared
 * by several nodes, will). The claiming state must cope with the connection closing meanwhile.
 */
import { describe, expect, it } from 'vitest';
import { encodeFrame, encodeNameField, MsgType, parseMessage, payloadOf, type HcpMessage } from '../../src/protocol/index.js';
import { ChatCore } from '../../src/server/core/chat.js';
import { LocalDirectory } from '../../src/server/core/directory.js';
import type { Directory } from '../../src/server/core/ports.js';
import type { Session } from '../../src/server/core/session.js';
import { defaultServerOptions } from '../../src/server/options.js';
import { fakeLink } from '../helpers/links.js';
import { memoryLogger } from '../helpers/server.js';

/** A directory whose claims wait until the test lets them through; the rest is the local one's. */
class SlowDirectory implements Directory<Session> {
  private readonly local = new LocalDirectory<Session>();
  private readonly pending: Array<() => void> = [];
  claim(member: Session): Promise<boolean> {
    return new Promise((resolve) => this.pending.push(() => resolve(this.local.claim(member))));
  }
  /** Lets every waiting claim through, and the presence and flushes of that moment happen. */
  async answerAll(): Promise<void> {
    await Promise.resolve();
    this.pending.splice(0).forEach((answer) => answer());
    await settle();
  }
  release = (m: Session) => this.local.release(m);
  byKey = (key: string) => this.local.byKey(key);
  byField = (bytes: Uint8Array, at: number, length: number) => this.local.byField(bytes, at, length);
  online = () => this.local.online();
  get size() {
    return this.local.size;
  }
}

function peer(core: ChatCore) {
  const got: HcpMessage[] = [];
  const session = core.connect(fakeLink((frame) => {
    const p = payloadOf(frame);
    got.push(parseMessage(p[0]!, p.subarray(1))!);
  }), '127.0.0.1');
  const propose = (name: string) => session.receive(MsgType.PROPOSAL, encodeNameField(name));
  const say = (from: string, to: string, text: string) => {
    const frame = encodeFrame({ type: MsgType.MESSAGE, from, to, text });
    session.receive(MsgType.MESSAGE, payloadOf(frame).subarray(1), frame);
  };
  return { session, got, propose, say };
}
const settle = () => new Promise((r) => setTimeout(r, 30)); // presence and flushes of this moment

describe('claiming a name through a directory that answers later', () => {
  it('what the peer sends while claiming waits, and is handled in order once the name is its own', async () => {
    const directory = new SlowDirectory();
    const core = new ChatCore({ ...defaultServerOptions, messageRate: 0 }, memoryLogger(), { directory });
    const bob = peer(core);
    bob.propose('bob');
    await directory.answerAll();
    const alice = peer(core);
    alice.propose('alice');
    alice.say('alice', 'bob', 'one'); // sent before the ACK came back: pipelined
    alice.say('alice', 'bob', 'two');
    expect(alice.got).toEqual([]);
    await directory.answerAll();
    expect(alice.got[0]).toEqual({ type: MsgType.ACK, name: 'alice' });
    expect(bob.got.filter((m) => m.type === MsgType.MESSAGE).map((m) => m.type === MsgType.MESSAGE && m.text)).toEqual(['one', 'two']);
    core.shutdown();
  });

  it('a connection that closes mid-claim gives the name back, and nobody hears of a join that never happened', async () => {
    const directory = new SlowDirectory();
    const log = memoryLogger();
    const core = new ChatCore({ ...defaultServerOptions }, log, { directory });
    const watcher = peer(core);
    watcher.propose('watcher');
    await directory.answerAll();
    const ghost = peer(core);
    ghost.propose('ghost');
    ghost.session.closed('peer closed the connection');
    await directory.answerAll();
    expect(core.names()).toEqual(['watcher']);
    const told = watcher.got.filter((m) => m.type === MsgType.PRESENCE || m.type === MsgType.UPDATE);
    expect(JSON.stringify(told)).not.toContain('ghost');
    expect(log.entries.some((l) => l.msg === 'name accepted' && l.name === 'ghost')).toBe(false);
    const again = peer(core);
    again.propose('ghost');
    await directory.answerAll();
    expect(again.got[0]).toEqual({ type: MsgType.ACK, name: 'ghost' });
    core.shutdown();
  });
});

describe('the local directory', () => {
  it('finds a member by the exact bytes of its name field (the relay\'s lookup without decoding), and by key', () => {
    const directory = new LocalDirectory<Session>();
    const core = new ChatCore({ ...defaultServerOptions }, memoryLogger(), { directory });
    const jon = peer(core);
    jon.propose('Jon Stewart');
    const field = encodeNameField('Jon Stewart');
    expect(directory.byField(field, 0, 11)).toBe(jon.session);
    expect(directory.byField(encodeNameField('jon stewart'), 0, 11)).toBeUndefined(); // other spellings take the slow path
    expect(directory.byKey('jon stewart')).toBe(jon.session);
    jon.session.closed('bye');
    expect(directory.byField(field, 0, 11)).toBeUndefined();
    core.shutdown();
  });
});
