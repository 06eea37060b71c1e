import type { BroadcastChannel, PeerLink } from './peer.js';
import type { Member, Router } from './ports.js';

/**
 * Delivery within one server process. The lobby's local fast path: members whose transport shares
 * broadcasts (framed TCP) get them through their channel, one buffer for all; the others (classic,
 * WebSocket) one by one.
 */
export class LocalRouter<M extends Member> implements Router<M> {
  private readonly direct = new Set<M>();
  private readonly channels = new Map<BroadcastChannel, number>();
  /** Each room's online members, by room key: through their channels (how many in each), or one by one. */
  private readonly rooms = new Map<string, RoomRoute<M>>();

  enter(member: M): void {
    const channel = member.link.channel;
    if (channel) {
      channel.subscribe(member.link, member.stamped);
      this.channels.set(channel, channel.memberCount);
    } else {
      this.direct.add(member);
    }
  }

  leave(member: M): void {
    const channel = member.link.channel;
    if (channel) {
      channel.unsubscribe(member.link);
      this.channels.set(channel, channel.memberCount);
    }
    this.direct.delete(member);
  }

  toMember(member: M, frame: Uint8Array): void {
    member.link.send(frame);
  }

  toLobby(sender: M, frame: Uint8Array, stamped?: Uint8Array, except?: ReadonlySet<PeerLink>): number {
    return this.deliver(sender, this.channels, this.direct, frame, stamped, undefined, except);
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

  toRoom(sender: M | undefined, room: string, frame: Uint8Array, stamped?: Uint8Array, except?: ReadonlySet<PeerLink>): number {
    const route = this.rooms.get(room);
    return route ? this.deliver(sender, route.channels, route.direct, frame, stamped, room, except) : 0;
  }

  /**
   * One frame per channel for its members (of the lobby, or of `room`), the others one by one; with
   * a stamped form, the plain frame for those taking it and the stamped one (echo included) for the rest;
   * none for the links in `except` (the count does not leave them out: it is for the metrics).
   */
  private deliver(
    sender: M | undefined, channels: Map<BroadcastChannel, number>, direct: Set<M>, frame: Uint8Array, stamped: Uint8Array | undefined, room: string | undefined,
    except: ReadonlySet<PeerLink> | undefined,
  ): number {
    let receivers = 0;
    const link = sender?.link;
    for (const [channel, members] of channels) {
      if (stamped) {
        channel.broadcast(frame, link, room, 'plain', except);
        channel.broadcast(stamped, undefined, room, 'stamped', except);
      } else {
        channel.broadcast(frame, link, room, undefined, except);
      }
      receivers += members - (link !== undefined && link.channel === channel ? 1 : 0); // a sender is in its room
    }
    for (const member of direct) {
      if (except?.has(member.link)) continue;
      const form = stamped && member.stamped ? stamped : frame;
      if (member !== sender) {
        member.link.send(form);
        receivers++;
      } else if (form === stamped) {
        member.link.send(stamped); // the echo
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
