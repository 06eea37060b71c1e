import { describe, expect, it } from 'vitest';
import { ChatClient, presenceNotices, type Connection, type UsersEvent } from '../../src/client/index.js';
import { encodeFrame, MsgType, payloadOf, PresenceOp, type HcpMessage } from '../../src/protocol/index.js';

/** A connection that only delivers the frames a test gives it. */
function fedClient(): { client: ChatClient; feed: (msg: HcpMessage) => void } {
  const connection: Connection = { wire: 'framed', address: 'test', send: () => {}, close: () => {}, onFrame: () => {}, onClose: () => {} };
  const client = new ChatClient(connection);
  const feed = (msg: HcpMessage) => {
    const payload = payloadOf(encodeFrame(msg));
    connection.onFrame(payload[0]!, payload.subarray(1));
  };
  return { client, feed };
}

describe('the client\'s user list from PRESENCE frames', () => {
  it('applies entries in order: a leave removes, a join (or a return) goes last', () => {
    const { client, feed } = fedClient();
    const events: UsersEvent[] = [];
    client.on('users', (e) => events.push(e));
    feed({ type: MsgType.ACK, name: 'me' });
    feed({ type: MsgType.UPDATE, names: ['amy', 'me'] });
    const { JOINED, LEFT } = PresenceOp;
    feed({ type: MsgType.PRESENCE, changes: [{ op: JOINED, name: 'bob' }, { op: LEFT, name: 'amy' }, { op: JOINED, name: 'cy' }, { op: JOINED, name: 'amy' }] });
    expect(client.users).toEqual(['me', 'bob', 'cy', 'amy']);
    expect(events.at(-1)).toEqual({ users: ['me', 'bob', 'cy', 'amy'], joined: ['bob', 'cy', 'amy'], left: ['amy'], initial: false });
  });

  it('takes a storm\'s frame of thousands of entries whole', () => {
    const { client, feed } = fedClient();
    feed({ type: MsgType.ACK, name: 'me' });
    feed({ type: MsgType.UPDATE, names: ['me'] });
    const names = Array.from({ length: 20_000 }, (_, i) => `user${i}`);
    feed({ type: MsgType.PRESENCE, changes: names.map((name) => ({ op: PresenceOp.JOINED, name })) });
    expect(client.users).toHaveLength(20_001);
    feed({ type: MsgType.PRESENCE, changes: names.filter((_, i) => i % 2).map((name) => ({ op: PresenceOp.LEFT, name })) });
    expect(client.users).toEqual(['me', ...names.filter((_, i) => i % 2 === 0)]);
  });
});

describe('what a person is told of joins and leaves', () => {
  it('a line a name, or one line for many at once', () => {
    expect(presenceNotices({ joined: ['bob'], left: ['amy', 'cy'] })).toEqual(['bob joined', 'amy left', 'cy left']);
    const many = Array.from({ length: 250 }, (_, i) => `u${i}`);
    expect(presenceNotices({ joined: many, left: [] })).toEqual(['250 joined: u0, u1, u2 and 247 more']);
  });
});
