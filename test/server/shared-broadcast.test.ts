/**
 * The shared broadcast channel with rooms (src/server/transports/shared-broadcast.ts): one buffer
 * per turn, each member taking the frames of the lobby and of its rooms, in order; a member that
 * enters or leaves a room mid-turn gets exactly what was said there while it was in.
 */
import { describe, expect, it } from 'vitest';
import type { Form, PeerLink } from '../../src/server/core/peer.js';
import { SharedBroadcast, type ChannelMember } from '../../src/server/transports/shared-broadcast.js';

/** A member link that records what it is given, as the TCP link would write it. */
function member(channel: SharedBroadcast, name: string): ChannelMember & { got: string[] } {
  const link = {
    wire: 'framed', transport: 'test', remote: name, member: false, channelTurn: 0, channelPos: 0, rooms: new Set<string>(), form: 'plain' as Form, got: [] as string[],
    send(frame: Uint8Array) {
      link.absorb(channel.pendingFor(link) > 0 ? channel.take(link) : []);
      link.got.push(text(frame));
    },
    absorb(frames: Uint8Array[]) {
      for (const f of frames) link.got.push(text(f));
    },
    flush() {
      const slices = channel.takeSlices(link) ?? channel.take(link);
      for (const s of slices) link.got.push(...text(s).split('|').filter(Boolean));
    },
    close() {}, pauseReading() {}, resumeReading() {},
  } satisfies ChannelMember & { got: string[] } & PeerLink;
  channel.subscribe(link, false);
  return link;
}
const frame = (s: string) => new TextEncoder().encode(`${s}|`);
const text = (b: Uint8Array) => new TextDecoder().decode(b).replace(/\|$/, '');

describe('the shared broadcast channel with rooms', () => {
  it('each member gets the lobby\'s frames and its rooms\', in order, not its own nor other rooms\'', () => {
    const channel = new SharedBroadcast(() => {});
    const [a, b, c] = ['a', 'b', 'c'].map((n) => member(channel, n)) as [ReturnType<typeof member>, ReturnType<typeof member>, ReturnType<typeof member>];
    channel.enterRoom(a, '#x');
    channel.enterRoom(b, '#x');
    channel.enterRoom(c, '#y');
    channel.broadcast(frame('a1'), a, '#x');
    channel.broadcast(frame('a2'), a);
    channel.broadcast(frame('c1'), c, '#y');
    channel.broadcast(frame('b1'), b, '#x');
    channel.broadcast(frame('e1'), undefined, '#x'); // an event: no sender
    channel.flushTurn();
    expect(a.got).toEqual(['b1', 'e1']);
    expect(b.got).toEqual(['a1', 'a2', 'e1']);
    expect(c.got).toEqual(['a2']);
  });

  it('entering a room mid-turn brings nothing said there before; leaving keeps what was said while in', () => {
    const channel = new SharedBroadcast(() => {});
    const a = member(channel, 'a');
    const b = member(channel, 'b');
    const c = member(channel, 'c');
    channel.enterRoom(a, '#x');
    channel.enterRoom(c, '#x');
    channel.broadcast(frame('before b'), a, '#x');
    channel.enterRoom(b, '#x');
    channel.broadcast(frame('after b'), a, '#x');
    channel.leaveRoom(c, '#x');
    channel.broadcast(frame('after c'), a, '#x');
    channel.flushTurn();
    expect(b.got).toEqual(['after b', 'after c']);
    expect(c.got).toEqual(['before b', 'after b']);
  });
});
