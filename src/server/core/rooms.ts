import {
  encodeFrame, encodeNameField, ErrorCode, HcpError, MsgType, nameKey, ROOM_HISTORIES, ROOM_PREFIX, utf8Encode, applyNameRules,
  type ExtensionFields, type RequestType, type RoomHistory,
} from '../../protocol/index.js';
import type { Logger } from '../../logging/logger.js';
import { guard } from './store-errors.js';
import { ROOM_ROLES, type Directory, type Member, type RoomRole, type RoomStore, type Router } from './ports.js';

/** Longest topic, in UTF-8 bytes (docs/protocol.md §10.4). */
const TOPIC_BYTES = 300;
const CONTROL = /\p{Cc}/u;

/** What the rooms need of a connection besides being a Member. */
export interface RoomMember extends Member {
  /** The account this connection is logged in to (its key), if any. */
  readonly account: string | undefined;
  /** Granted the `rooms` capability: only such connections are ever in a room. */
  readonly speaksRooms: boolean;
  /** The keys of the rooms this connection is in now. */
  readonly rooms: Set<string>;
}

interface Place {
  /** The member's name as registered (as an account has it, or as the guest took it). */
  name: string;
  role: RoomRole;
  /** A guest's place lasts as long as its connection; a registered user's is stored. */
  guest: boolean;
  /** The first message id the member may read of the room's history (0: all; docs/protocol.md §11). */
  from: number;
}

/** A room as the core holds it: the stored record, its members, and who of them is online. */
export class Room {
  /** The name as a 64-byte NUL-padded field: the receiver field of the messages relayed to it. */
  readonly nameField: Uint8Array;
  /** Members by name key. */
  readonly places = new Map<string, Place>();
  constructor(
    readonly key: string,
    readonly name: string,
    public topic: string,
    public isPrivate: boolean,
    public history: RoomHistory,
  ) {
    this.nameField = encodeNameField(name);
  }
}

type RoomEventName = 'join' | 'part' | 'topic' | 'private' | 'public' | 'history' | 'role' | 'delete';

/**
 * Rooms (docs/protocol.md §10.4): who is in which, what each may do, and the events that tell
 * members. All rooms and memberships are held here, loaded once from the store; each change is
 * written to the store first, then applied, so a refused write changes nothing.
 */
export class Rooms<M extends RoomMember> {
  private readonly rooms = new Map<string, Room>();

  constructor(
    private readonly store: RoomStore,
    private readonly directory: Directory<M>,
    private readonly router: Router<M>,
    private readonly log: Logger,
    /** The name a registered user's account has, if `key` is registered. */
    private readonly accountName: (key: string) => Promise<string | undefined>,
    /** The id the next message will get: where a newcomer to a `joined` room starts reading (docs/protocol.md §11). */
    private readonly nextMessageId: () => number,
  ) {}

  async load(): Promise<void> {
    const { rooms, memberships } = await guard(this.store.load());
    for (const r of rooms) this.rooms.set(r.key, new Room(r.key, r.name, r.topic, r.private, r.history));
    for (const m of memberships) this.rooms.get(m.room)?.places.set(m.account, { name: m.name, role: m.role, guest: false, from: m.from ?? 0 });
  }

  /** The room a MESSAGE's receiver names (`#…`, any case), if `sender` may write to it; throws why not. */
  receiver(sender: M, name: string): Room {
    const room = this.visible(sender, name);
    if (!sender.rooms.has(room.key)) throw new HcpError(ErrorCode.NOT_IN_ROOM, `join ${room.name} first`);
    return room;
  }

  /** A connection's name was accepted: a logged-in user with rooms is back in its rooms (§10.4). */
  online(member: M): void {
    if (!member.speaksRooms || member.account === undefined) return;
    for (const room of this.rooms.values()) if (room.places.has(member.account)) this.enter(member, room);
  }

  /**
   * The first message id `member` may read of the conversation `key` (docs/protocol.md §11): in a
   * room it is in, where its place begins; 0 elsewhere (whom may read is checked apart).
   */
  firstReadable(member: M, key: string): number {
    return this.rooms.get(key)?.places.get(member.key!)?.from ?? 0;
  }

  /**
   * A resumed guest (docs/protocol.md §11) is back in the rooms it was in, those that still exist,
   * told as joins; it reads them from where it did before.
   */
  rejoin(member: M, places: ReadonlyArray<{ room: string; from: number }>): void {
    for (const { room: key, from } of places) {
      const room = this.rooms.get(key);
      if (!room || room.places.has(member.key!)) continue;
      room.places.set(member.key!, { name: member.name!, role: 'member', guest: true, from });
      this.enter(member, room);
      this.event(room, member, 'join', { name: member.name!, role: 'member' });
    }
  }

  /** A connection ended: it leaves its rooms; a guest's places end with it, told as parts. */
  offline(member: M): void {
    for (const key of [...member.rooms]) {
      const room = this.rooms.get(key);
      if (!room) continue;
      this.leave(member, room);
      const place = room.places.get(member.key!);
      if (place?.guest) {
        room.places.delete(member.key!);
        this.event(room, undefined, 'part', { name: place.name });
      }
    }
  }

  /** The guest registered the name it holds: its places become its account's, and are stored. */
  async registered(member: M): Promise<void> {
    const key = member.key!;
    const places = [...member.rooms].map((r) => this.rooms.get(r)!).filter((room) => room.places.get(key)?.guest);
    if (places.length === 0) return;
    await guard(this.store.setMembers(places.map((room) => ({ room: room.key, account: key, role: 'member', from: room.places.get(key)!.from }))));
    for (const room of places) room.places.get(key)!.guest = false;
  }

  /**
   * The account `key` was deleted (the store took its memberships and the rooms it owned): its
   * user leaves every room, told as parts, and the rooms it owned are gone, told as deletions.
   */
  accountDeleted(key: string, member: M | undefined): void {
    for (const room of [...this.rooms.values()]) {
      const place = room.places.get(key);
      if (!place || place.guest) continue;
      if (place.role === 'owner') {
        this.event(room, undefined, 'delete', { by: place.name });
        this.drop(room);
        continue;
      }
      room.places.delete(key);
      if (member) this.leave(member, room);
      this.event(room, undefined, 'part', { name: place.name });
    }
  }

  /** The rooms `a` and `b` are both in, by name: for WHOIS (only rooms `a` may see). */
  common(a: M, b: string): string[] {
    const key = a.key!;
    return [...this.rooms.values()].filter((r) => r.places.has(key) && r.places.has(b)).map((r) => r.name).sort();
  }

  /** Carries out a room request (docs/protocol.md §10.4); resolves with the REPLY's fields. */
  async serve(member: M, type: RequestType, fields: ExtensionFields): Promise<ExtensionFields> {
    const roomName = fields.room;
    if (type === MsgType.ROOM_LIST) return { entry: this.list(member) };
    if (roomName === undefined) throw new HcpError(ErrorCode.MALFORMED, 'this request carries a ROOM field');
    switch (type) {
      case MsgType.ROOM_CREATE:
        return this.create(member, roomName, fields);
      case MsgType.ROOM_JOIN:
        return this.join(member, this.visible(member, roomName));
      case MsgType.ROOM_PART:
        return this.part(member, this.visible(member, roomName));
      case MsgType.ROOM_MEMBERS:
        return { entry: this.members(this.visible(member, roomName)) };
      case MsgType.ROOM_SET:
        return this.set(member, this.visible(member, roomName), fields);
      case MsgType.ROOM_INVITE:
        return this.invite(member, this.visible(member, roomName), need(fields.name, 'NAME'));
      case MsgType.ROOM_REMOVE:
        return this.remove(member, this.visible(member, roomName), need(fields.name, 'NAME'));
      case MsgType.ROOM_DELETE:
        return this.delete(member, this.visible(member, roomName));
      case MsgType.ROOM_ROLE:
        return this.setRole(member, this.visible(member, roomName), need(fields.name, 'NAME'), need(fields.role, 'ROLE'));
      default:
        throw new HcpError(ErrorCode.REQUEST_INVALID, `frame type ${type} is not a room request`);
    }
  }

  private async create(member: M, name: string, fields: ExtensionFields): Promise<ExtensionFields> {
    if (member.account === undefined) throw new HcpError(ErrorCode.NOT_LOGGED_IN, 'log in to create a room');
    const roomName = validateRoomName(name);
    const topic = checkTopic(fields.topic ?? '');
    const history = checkHistory(fields.history ?? 'all');
    const key = nameKey(roomName);
    if (this.rooms.has(key)) throw new HcpError(ErrorCode.ROOM_EXISTS, `a room called ${this.rooms.get(key)!.name} exists already`);
    await guard(this.store.create({ key, name: roomName, topic, private: fields.private ?? false, history, createdAt: new Date() }, member.account));
    const room = new Room(key, roomName, topic, fields.private ?? false, history);
    room.places.set(member.account, { name: member.name!, role: 'owner', guest: false, from: 0 });
    this.rooms.set(key, room);
    this.enter(member, room);
    this.log.info({ peer: member.id, name: member.name, room: roomName, private: room.isPrivate }, 'room created');
    return this.info(room, member);
  }

  private async join(member: M, room: Room): Promise<ExtensionFields> {
    if (room.places.has(member.key!)) {
      if (!member.rooms.has(room.key)) this.enter(member, room); // a member already: nothing to tell
    } else {
      await this.admit(member, room, 'member');
      this.event(room, member, 'join', { name: member.name!, role: 'member' });
    }
    return this.info(room, member);
  }

  private async part(member: M, room: Room): Promise<ExtensionFields> {
    const place = this.placeOf(member, room);
    if (place.role === 'owner') throw new HcpError(ErrorCode.ROOM_FORBIDDEN, `you own ${room.name}: hand it over (ROOM_ROLE owner) or delete it`);
    await this.unstore(room, member.key!, place);
    this.unseat(room, member.key!);
    this.event(room, member, 'part', { name: place.name });
    return {};
  }

  private list(member: M): ExtensionFields[] {
    return [...this.rooms.values()]
      .filter((room) => !room.isPrivate || room.places.has(member.key!))
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .map((room) => this.info(room, member));
  }

  private members(room: Room): ExtensionFields[] {
    return [...room.places].map(([key, place]) => ({
      name: place.name, role: place.role, online: this.directory.byKey(key)?.rooms.has(room.key) ?? false, registered: !place.guest,
    }));
  }

  private async set(member: M, room: Room, fields: ExtensionFields): Promise<ExtensionFields> {
    this.mayManage(member, room);
    const topic = fields.topic === undefined ? undefined : checkTopic(fields.topic);
    const history = fields.history === undefined ? undefined : checkHistory(fields.history);
    const changes = {
      ...(topic !== undefined && topic !== room.topic && { topic }),
      ...(fields.private !== undefined && fields.private !== room.isPrivate && { private: fields.private }),
      ...(history !== undefined && history !== room.history && { history }),
    };
    if (Object.keys(changes).length > 0) await guard(this.store.update(room.key, changes));
    const by = member.name!;
    if (changes.topic !== undefined) {
      room.topic = changes.topic;
      this.event(room, member, 'topic', { topic: room.topic, by });
    }
    if (changes.private !== undefined) {
      room.isPrivate = changes.private;
      this.event(room, member, room.isPrivate ? 'private' : 'public', { by });
    }
    if (changes.history !== undefined) {
      // applies to those who join from now on: the members now read all of it, as the store has it
      room.history = changes.history;
      for (const place of room.places.values()) place.from = 0;
      this.event(room, member, 'history', { history: room.history, by });
    }
    return this.info(room, member);
  }

  private async invite(member: M, room: Room, name: string): Promise<ExtensionFields> {
    this.mayManage(member, room);
    const key = nameKey(name);
    if (room.places.has(key)) return {};
    const online = this.directory.byKey(key);
    if (online?.speaksRooms) await this.admit(online, room, 'member');
    else {
      // offline, or on a client without rooms: only an account can be a member it will find later
      const registered = await this.accountName(key);
      if (registered === undefined && online) throw new HcpError(ErrorCode.ROOM_INVALID, `${online.name}'s client does not speak rooms`);
      if (registered === undefined) throw new HcpError(ErrorCode.NO_SUCH_USER, `nobody called "${name}" is online or registered`);
      await this.seatAccount(room, key, registered, 'member');
    }
    const place = room.places.get(key)!;
    this.event(room, member, 'join', { name: place.name, role: place.role, by: member.name! });
    return {};
  }

  private async remove(member: M, room: Room, name: string): Promise<ExtensionFields> {
    const mine = this.mayManage(member, room);
    const key = nameKey(name);
    const place = room.places.get(key);
    if (!place) throw new HcpError(ErrorCode.NOT_IN_ROOM, `"${name}" is not in ${room.name}`);
    if (place.role === 'owner' || (mine === 'operator' && place.role !== 'member')) {
      throw new HcpError(ErrorCode.ROOM_FORBIDDEN, `you may not remove ${place.name} from ${room.name}`);
    }
    await this.unstore(room, key, place);
    // the removed one hears of it too, while still in the room
    this.event(room, member, 'part', { name: place.name, by: member.name! });
    this.unseat(room, key);
    return {};
  }

  private async delete(member: M, room: Room): Promise<ExtensionFields> {
    if (this.placeOf(member, room).role !== 'owner') throw new HcpError(ErrorCode.ROOM_FORBIDDEN, `only the owner may delete ${room.name}`);
    await guard(this.store.delete(room.key));
    this.event(room, member, 'delete', { by: member.name! });
    this.drop(room);
    this.log.info({ peer: member.id, name: member.name, room: room.name }, 'room deleted');
    return {};
  }

  private async setRole(member: M, room: Room, name: string, role: string): Promise<ExtensionFields> {
    if (this.placeOf(member, room).role !== 'owner') throw new HcpError(ErrorCode.ROOM_FORBIDDEN, `only the owner of ${room.name} gives roles`);
    if (!ROOM_ROLES.includes(role as RoomRole)) throw new HcpError(ErrorCode.ROOM_INVALID, `a role is one of ${ROOM_ROLES.join(', ')}`);
    const key = nameKey(name);
    const place = room.places.get(key);
    if (!place) throw new HcpError(ErrorCode.NOT_IN_ROOM, `"${name}" is not in ${room.name}`);
    if (place.guest) throw new HcpError(ErrorCode.ROOM_INVALID, `${place.name} is a guest: only registered users hold roles`);
    if (key === member.key || place.role === role) return {};
    const handover = role === 'owner';
    await guard(this.store.setMembers([
      { room: room.key, account: key, role: role as RoomRole },
      ...(handover ? [{ room: room.key, account: member.key!, role: 'operator' as const }] : []),
    ]));
    place.role = role as RoomRole;
    this.event(room, member, 'role', { name: place.name, role, by: member.name! });
    if (handover) {
      room.places.get(member.key!)!.role = 'operator';
      this.event(room, member, 'role', { name: member.name!, role: 'operator', by: member.name! });
    }
    return {};
  }

  /** Closes a room for the server's staff (docs/protocol.md §10.6): as its owner's ROOM_DELETE, told as `by`. */
  async close(name: string, by: string): Promise<string> {
    const room = this.existing(name);
    await guard(this.store.delete(room.key));
    this.event(room, undefined, 'delete', { by });
    this.drop(room);
    return room.name;
  }

  /**
   * Makes the account `key` (an admin, `name` as registered; `online` when connected) the room's
   * owner (docs/protocol.md §10.6): its owner becomes an operator. Told as role events.
   */
  async takeOver(roomName: string, key: string, name: string, online: M | undefined): Promise<string> {
    const room = this.existing(roomName);
    const owners = [...room.places].filter(([k, p]) => p.role === 'owner' && k !== key);
    await guard(this.store.setMembers([{ room: room.key, account: key, role: 'owner' }, ...owners.map(([k]) => ({ room: room.key, account: k, role: 'operator' as const }))]));
    room.places.set(key, { name, role: 'owner', guest: false, from: 0 }); // its owner reads all of it
    if (online?.speaksRooms && !online.rooms.has(room.key)) this.enter(online, room);
    for (const [, place] of owners) {
      place.role = 'operator';
      this.event(room, undefined, 'role', { name: place.name, role: 'operator', by: name });
    }
    this.event(room, online, 'role', { name, role: 'owner', by: name });
    return room.name;
  }

  /** The room named, private or not; NO_SUCH_ROOM. */
  private existing(name: string): Room {
    const room = this.rooms.get(nameKey(name));
    if (!room) throw new HcpError(ErrorCode.NO_SUCH_ROOM, `there is no room called ${name}`);
    return room;
  }

  /** The room named, if `member` may see it: private rooms exist only for their members. */
  private visible(member: M, name: string): Room {
    const room = this.rooms.get(nameKey(name));
    if (!room || (room.isPrivate && !room.places.has(member.key!))) throw new HcpError(ErrorCode.NO_SUCH_ROOM, `there is no room called ${name}`);
    return room;
  }

  private placeOf(member: M, room: Room): Place {
    const place = room.places.get(member.key!);
    if (!place) throw new HcpError(ErrorCode.NOT_IN_ROOM, `you are not in ${room.name}`);
    return place;
  }

  /** The member's role, if it may manage the room (owner or operator); else throws. */
  private mayManage(member: M, room: Room): RoomRole {
    const { role } = this.placeOf(member, room);
    if (role === 'member') throw new HcpError(ErrorCode.ROOM_FORBIDDEN, `only the owner and operators of ${room.name} may do that`);
    return role;
  }

  /** Makes an online connection a member (stored when it has an account) and puts it in the room. */
  private async admit(member: M, room: Room, role: RoomRole): Promise<void> {
    const key = member.key!;
    if (member.account === key) await this.seatAccount(room, key, member.name!, role);
    else room.places.set(key, { name: member.name!, role, guest: true, from: this.firstForNewcomer(room) });
    this.enter(member, room);
  }

  private async seatAccount(room: Room, key: string, name: string, role: RoomRole): Promise<void> {
    const from = this.firstForNewcomer(room);
    await guard(this.store.setMembers([{ room: room.key, account: key, role, from }]));
    room.places.set(key, { name, role, guest: false, from });
  }

  /** Where a newcomer starts reading the room's history (docs/protocol.md §11): its start, or the next message. */
  private firstForNewcomer(room: Room): number {
    return room.history === 'joined' ? this.nextMessageId() : 0;
  }

  /** Ends a registered member's stored place (a guest's was never stored). */
  private async unstore(room: Room, key: string, place: Place): Promise<void> {
    if (!place.guest) await guard(this.store.removeMember(room.key, key));
  }

  private unseat(room: Room, key: string): void {
    room.places.delete(key);
    const online = this.directory.byKey(key);
    if (online?.rooms.has(room.key)) this.leave(online, room);
  }

  private enter(member: M, room: Room): void {
    member.rooms.add(room.key);
    this.router.enterRoom(member, room.key);
  }

  private leave(member: M, room: Room): void {
    member.rooms.delete(room.key);
    this.router.leaveRoom(member, room.key);
  }

  /** Forgets a deleted room: its online members leave it. */
  private drop(room: Room): void {
    for (const key of room.places.keys()) {
      const online = this.directory.byKey(key);
      if (online?.rooms.has(room.key)) this.leave(online, room);
    }
    this.rooms.delete(room.key);
  }

  /** Tells the room's online members (but `actor`, whom its REPLY tells) what happened. */
  private event(room: Room, actor: M | undefined, event: RoomEventName, fields: ExtensionFields): void {
    this.router.toRoom(actor, room.key, encodeFrame({ type: MsgType.ROOM_EVENT, fields: { room: room.name, event, ...fields } }));
  }

  /** The room's fields (§10.4) as `member` sees them. */
  private info(room: Room, member: M): ExtensionFields {
    const place = room.places.get(member.key!);
    return {
      room: room.name, topic: room.topic, private: room.isPrivate, ...(room.history !== 'all' && { history: room.history }),
      members: room.places.size, joined: member.rooms.has(room.key), ...(place && { role: place.role }),
    };
  }
}

/** A room's name under the rules of docs/protocol.md §10.4, NFC; throws ROOM_INVALID. */
export function validateRoomName(proposed: string): string {
  let name: string;
  try {
    name = applyNameRules(proposed, "the room's name");
  } catch (err) {
    throw err instanceof HcpError ? new HcpError(ErrorCode.ROOM_INVALID, err.message) : err;
  }
  if (!name.startsWith(ROOM_PREFIX) || name.length < 2) throw new HcpError(ErrorCode.ROOM_INVALID, `a room's name is ${ROOM_PREFIX} and then at least one character`);
  return name;
}

function checkTopic(topic: string): string {
  const bytes = utf8Encode(topic).length;
  if (bytes > TOPIC_BYTES) throw new HcpError(ErrorCode.ROOM_INVALID, `the topic is ${bytes} bytes; at most ${TOPIC_BYTES}`);
  if (CONTROL.test(topic)) throw new HcpError(ErrorCode.ROOM_INVALID, 'the topic holds a control character');
  return topic;
}

function checkHistory(history: string): RoomHistory {
  const known = ROOM_HISTORIES.find((h) => h === history);
  if (known === undefined) throw new HcpError(ErrorCode.ROOM_INVALID, `a room's HISTORY is one of ${ROOM_HISTORIES.join(', ')}`);
  return known;
}

function need(value: string | undefined, field: string): string {
  if (value === undefined) throw new HcpError(ErrorCode.MALFORMED, `this request carries a ${field} field`);
  return value;
}
