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
  /** Each room's online members, by room key: through their channels (how many in each), or one by one. */
  private readonly rooms = new Map<string, RoomRoute<M>>();

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
    let route = this.rooms.get(room);
    if (!route) this.rooms.set(room, (route = { size: 0, channels: new Map(), direct: new Set() }));
    route.size++;
    const channel = member.link.channel;
    if (channel) {
      channel.enterRoom(member.link, room);
      route.channels.set(channel, (route.channels.get(channel) ?? 0) + 1);
    } else {
      route.direct.add(member);
    }
  }

  leaveRoom(member: M, room: string): void {
    const route = this.rooms.get(room);
    if (!route) return;
    const channel = member.link.channel;
    if (channel) {
      channel.leaveRoom(member.link, room);
      const left = route.channels.get(channel)! - 1;
      if (left > 0) route.channels.set(channel, left);
      else route.channels.delete(channel);
    } else {
      route.direct.delete(member);
    }
    if (--route.size === 0) this.rooms.delete(room);
  }

  /** Like the lobby's: one frame per channel for its members in the room, the others one by one. */
  toRoom(sender: M | undefined, room: string, frame: Uint8Array): number {
    const route = this.rooms.get(room);
    if (!route) return 0;
    let receivers = 0;
    for (const [channel, members] of route.channels) {
      channel.broadcast(frame, sender?.link, room);
      receivers += members - (sender !== undefined && sender.link.channel === channel ? 1 : 0); // a sender is in its room
    }
    for (const member of route.direct) {
      if (member !== sender) {
        member.link.send(frame);
        receivers++;
      }
    }
    return receivers;
  }
}

/** Who of a room is online, as the router reaches them. */
interface RoomRoute<M> {
  size: number;
  channels: Map<BroadcastChannel, number>;
  direct: Set<M>;
}
