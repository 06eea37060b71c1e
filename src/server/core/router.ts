import type { BroadcastChannel } from './peer.js';
import type { Member, Router } from './ports.js';

/**
 * Delivery within one server process. The lobby's local fast path: members whose transport shares
 * broadcasts (framed TCP) get them through their channel, one buffer for all; the others (classic,
 * WebSocket) one by one.
 */
export class LocalRouter<M extends Member> implements Router<M> {
  private readonly direct = new Set<M>();
  private readonly channels = new Set<BroadcastChannel>();
  /** Each room's online members, by room key. */
  private readonly rooms = new Map<string, Set<M>>();

  enter(member: M): void {
    const channel = member.link.channel;
    if (channel) {
      channel.subscribe(member.link);
      this.channels.add(channel);
    } else {
      this.direct.add(member);
    }
  }

  leave(member: M): void {
    member.link.channel?.unsubscribe(member.link);
    this.direct.delete(member);
  }

  toMember(member: M, frame: Uint8Array): void {
    member.link.send(frame);
  }

  toLobby(sender: M, frame: Uint8Array): number {
    let receivers = 0;
    for (const channel of this.channels) {
      channel.broadcast(frame, sender.link);
      receivers += channel.memberCount - (sender.link.channel === channel ? 1 : 0);
    }
    for (const member of this.direct) {
      if (member !== sender) {
        member.link.send(frame);
        receivers++;
      }
    }
    return receivers;
  }

  enterRoom(member: M, room: string): void {
    let members = this.rooms.get(room);
    if (!members) this.rooms.set(room, (members = new Set()));
    members.add(member);
  }

  leaveRoom(member: M, room: string): void {
    const members = this.rooms.get(room);
    if (!members) return;
    members.delete(member);
    if (members.size === 0) this.rooms.delete(room);
  }

  toRoom(sender: M | undefined, room: string, frame: Uint8Array): number {
    let receivers = 0;
    for (const member of this.rooms.get(room) ?? []) {
      if (member !== sender) {
        member.link.send(frame);
        receivers++;
      }
    }
    return receivers;
  }
}
