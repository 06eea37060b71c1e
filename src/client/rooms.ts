import { nameKey, ROOM_HISTORIES, ROOM_PREFIX, type ExtensionFields, type RoomHistory } from '../protocol/index.js';

/** A member's role in a room (docs/protocol.md §10.4). */
export const ROOM_ROLES = ['owner', 'operator', 'member'] as const;
export type RoomRole = (typeof ROOM_ROLES)[number];

/** A room as the server describes it: "the room's fields" (§10.4). */
export interface RoomInfo {
  /** As created, `#` first. */
  name: string;
  topic: string;
  /** Invite-only. */
  private: boolean;
  /** `joined`: newcomers read its history only from when they joined; left out: all of it (§10.4, §11). */
  history?: 'joined';
  /** How many members it has. */
  members: number;
  /** Whether the user is in it. */
  joined: boolean;
  /** The user's role, when a member. */
  role?: RoomRole;
}

/** One member of a room (ROOM_MEMBERS, §10.4). */
export interface RoomMember {
  name: string;
  role: RoomRole;
  online: boolean;
  registered: boolean;
}

export const ROOM_EVENT_KINDS = ['join', 'part', 'topic', 'private', 'public', 'history', 'role', 'delete'] as const;
export type RoomEventKind = (typeof ROOM_EVENT_KINDS)[number];

/** A ROOM_EVENT (§10.4): what happened in a room the user is in, and who did it (`by`). */
export interface RoomEvent {
  room: string;
  event: RoomEventKind;
  name?: string;
  role?: RoomRole;
  topic?: string;
  /** What newcomers read of the room's history now (event `history`). */
  history?: RoomHistory;
  by?: string;
}

/** Whether a receiver or a name is a room's (rooms' names begin with `#`; no user's does: §2). */
export function isRoomName(name: string): boolean {
  return name.startsWith(ROOM_PREFIX);
}

/** Whether two room (or user) names are one under the case-insensitive key (§2, §10.4). */
export function sameName(a: string, b: string): boolean {
  return nameKey(a) === nameKey(b);
}

function roleOf(value: string | undefined): RoomRole | undefined {
  return ROOM_ROLES.find((r) => r === value);
}

/** A room's HISTORY as RoomInfo keeps it: only `joined` is said. */
function historyOf(value: string | undefined): Pick<RoomInfo, 'history'> {
  return value === 'joined' ? { history: 'joined' } : {};
}

/**
 * A room's fields as a RoomInfo. The user is in it when JOINED says so, or, where a reply leaves
 * JOINED out (ROOM_JOIN's example in §10.4), when it carries the user's ROLE.
 */
export function roomInfoOf(f: ExtensionFields): RoomInfo {
  const role = roleOf(f.role);
  return {
    name: f.room ?? '',
    topic: f.topic ?? '',
    private: f.private ?? false,
    ...historyOf(f.history),
    members: f.members ?? 0,
    joined: f.joined ?? role !== undefined,
    ...(role !== undefined && { role }),
  };
}

export function roomMemberOf(f: ExtensionFields): RoomMember {
  return { name: f.name ?? '', role: roleOf(f.role) ?? 'member', online: f.online ?? false, registered: f.registered ?? false };
}

/** A ROOM_EVENT's fields as a RoomEvent; undefined for an event this version does not know (skipped, as unknown fields are). */
export function roomEventOf(f: ExtensionFields): RoomEvent | undefined {
  const event = ROOM_EVENT_KINDS.find((k) => k === f.event);
  if (event === undefined || f.room === undefined) return undefined;
  const role = roleOf(f.role);
  const history = ROOM_HISTORIES.find((h) => h === f.history);
  return {
    room: f.room,
    event,
    ...(f.name !== undefined && { name: f.name }),
    ...(role !== undefined && { role }),
    ...(f.topic !== undefined && { topic: f.topic }),
    ...(history !== undefined && { history }),
    ...(f.by !== undefined && { by: f.by }),
  };
}

/** The room of that name (any case) in `rooms`. */
export function findRoom<R extends { name: string }>(rooms: readonly R[], name: string): R | undefined {
  return rooms.find((r) => sameName(r.name, name));
}

/** `rooms` with `room` in place of the one of its name, or added last. */
export function withRoom(rooms: readonly RoomInfo[], room: RoomInfo): RoomInfo[] {
  const at = rooms.findIndex((r) => sameName(r.name, room.name));
  return at === -1 ? [...rooms, room] : rooms.map((r, i) => (i === at ? room : r));
}

export function withoutRoom(rooms: readonly RoomInfo[], name: string): RoomInfo[] {
  return rooms.filter((r) => !sameName(r.name, name));
}

/**
 * The rooms the user (`me`) is in once `e` happened. A `join` of the user themselves (someone
 * added them) is not applied here: the event does not carry the room's fields, so the session asks
 * for them (ROOM_LIST).
 */
export function applyRoomEvent(rooms: readonly RoomInfo[], e: RoomEvent, me: string): RoomInfo[] {
  const room = findRoom(rooms, e.room);
  if (!room) return [...rooms];
  const mine = e.name !== undefined && sameName(e.name, me);
  const change = (changes: Partial<RoomInfo>) => withRoom(rooms, { ...room, ...changes });
  switch (e.event) {
    case 'join':
      return mine ? [...rooms] : change({ members: room.members + 1 });
    case 'part':
      return mine ? withoutRoom(rooms, room.name) : change({ members: Math.max(0, room.members - 1) });
    case 'topic':
      return change({ topic: e.topic ?? '' });
    case 'private':
    case 'public':
      return change({ private: e.event === 'private' });
    case 'history': {
      const { history: _was, ...rest } = room;
      return withRoom(rooms, { ...rest, ...historyOf(e.history) });
    }
    case 'role':
      if (mine && e.role) return change({ role: e.role });
      // a room has one owner: handed over to someone else, the old owner is an operator
      return e.role === 'owner' && room.role === 'owner' ? change({ role: 'operator' }) : [...rooms];
    case 'delete':
      return withoutRoom(rooms, room.name);
  }
}

/** A room's members once `e` happened (what a client showing the room keeps, §10.4). */
export function applyMemberEvent(members: readonly RoomMember[], e: RoomEvent): RoomMember[] {
  const named = (m: RoomMember) => e.name !== undefined && sameName(m.name, e.name);
  switch (e.event) {
    case 'join':
      if (e.name === undefined || members.some(named)) return [...members];
      return [...members, { name: e.name, role: e.role ?? 'member', online: true, registered: false }];
    case 'part':
      return members.filter((m) => !named(m));
    case 'role':
      return members.map((m) => {
        if (named(m) && e.role) return { ...m, role: e.role };
        // a room has one owner: handed over, the old owner is an operator
        return e.role === 'owner' && m.role === 'owner' ? { ...m, role: 'operator' } : m;
      });
    case 'delete':
      return [];
    default:
      return [...members];
  }
}
