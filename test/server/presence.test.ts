import { afterEach, describe, expect, it, vi } from 'vitest';
import { MsgType, parseMessage, payloadOf, PresenceOp, type HcpMessage } from '../../src/protocol/index.js';
import { PresenceBatcher } from '../../src/server/core/presence.js';
import type { Session } from '../../src/server/core/session.js';

afterEach(() => vi.useRealTimers());

/** A stand-in session that keeps what it is sent, decoded. */
function session(name: string, wire: 'framed' | 'classic' = 'framed') {
  const got: HcpMessage[] = [];
  const send = (frame: Uint8Array) => {
    const payload = payloadOf(frame); // type, then body
    got.push(parseMessage(payload[0]!, payload.subarray(1))!);
  };
  return { name, got, link: { wire, send } } as unknown as Session & { got: HcpMessage[] };
}

function listOf(got: HcpMessage[]): string[] {
  let list: string[] = [];
  for (const m of got) {
    if (m.type === MsgType.UPDATE) list = [...m.names];
    else if (m.type === MsgType.PRESENCE) {
      for (const c of m.changes) {
        if (c.op === PresenceOp.JOINED) {
          expect(list, `a join of ${c.name}, already listed`).not.toContain(c.name);
          list = [...list, c.name];
        } else {
          expect(list, `a leave of ${c.name}, not listed`).toContain(c.name);
          list = list.filter((n) => n !== c.name);
        }
      }
    }
  }
  return list;
}

describe('presence: newcomers\' lists paced over turns', () => {
  it('a list sent late shows the moment it was made; what changed since follows as PRESENCE', () => {
    vi.useFakeTimers();
    const online: Array<Session & { got: HcpMessage[] }> = [];
    // a window of 5 ms, and a budget of one byte: one full list per turn of the event loop
    const presence = new PresenceBatcher(() => online, () => online.map((s) => s.name!), 5, 1);
    const join = (s: Session & { got: HcpMessage[] }) => {
      online.push(s);
      presence.joined(s);
    };
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => session(n));
    join(a!);
    join(b!);
    join(c!);
    vi.advanceTimersToNextTimer(); // the flush: a gets its list now, b and c in the next turns
    expect(a!.got).toEqual([{ type: MsgType.UPDATE, names: ['a', 'b', 'c'] }]);
    expect(b!.got).toEqual([]);
    join(d!); // changes of the next moment, told when its window closes
    online.splice(online.indexOf(a!), 1);
    presence.left(a!);
    vi.advanceTimersToNextTimer();
    vi.advanceTimersToNextTimer();
    // b and c get the list of the moment they joined in, not one with changes not yet told
    expect(b!.got).toEqual([{ type: MsgType.UPDATE, names: ['a', 'b', 'c'] }]);
    expect(c!.got).toEqual([{ type: MsgType.UPDATE, names: ['a', 'b', 'c'] }]);
    vi.runAllTimers();
    for (const s of [b!, c!]) {
      expect(s.got.filter((m) => m.type === MsgType.UPDATE)).toHaveLength(1);
      expect(listOf(s.got)).toEqual(['b', 'c', 'd']);
    }
    expect(listOf(d!.got)).toEqual(['b', 'c', 'd']);
    for (const s of [b!, c!, d!]) {
      expect(s.got.some((m) => m.type === MsgType.PRESENCE && m.changes.some((ch) => ch.name === s.name))).toBe(false);
    }
  });

  it('a classic peer gets the full UPDATE of each moment, as in the seed', () => {
    vi.useFakeTimers();
    const old = session('old', 'classic');
    const online = [old];
    const presence = new PresenceBatcher(() => online, () => online.map((s) => s.name!), 0, 1);
    presence.joined(old);
    vi.runAllTimers();
    const n = session('new');
    online.push(n);
    presence.joined(n);
    vi.runAllTimers();
    expect(old.got).toEqual([{ type: MsgType.UPDATE, names: ['old'] }, { type: MsgType.UPDATE, names: ['old', 'new'] }]);
    expect(n.got).toEqual([{ type: MsgType.UPDATE, names: ['old', 'new'] }]);
  });
});
