import { sameName, type RoomEvent, type RoomInfo, type RoomMember, type RoomRole } from '../client/index.js';
import { ErrorCode } from '../protocol/index.js';

/**
 * What a room's event says in the room's log (docs/protocol.md §10.4), as a quiet line: "bob
 * joined.", "alice set the topic to “Oolong”.", "carol was removed by bob.", "The room was deleted
 * by alice.". `me` is told as "you"; the page words its user's own changes the same way.
 */
export function roomEventText(e: RoomEvent, me: string): string {
  const isMe = (name: string | undefined) => name !== undefined && sameName(name, me);
  const name = e.name ?? 'someone';
  const by = e.by ?? 'someone';
  /** The one the event is about, starting a sentence or within one. */
  const Who = isMe(e.name) ? 'You' : name;
  const who = isMe(e.name) ? 'you' : name;
  const By = isMe(e.by) ? 'You' : by;
  switch (e.event) {
    case 'join':
      if (e.by === undefined) return `${Who} joined.`;
      return isMe(e.by) ? `You added ${name}.` : `${Who} ${isMe(e.name) ? 'were' : 'was'} added by ${by}.`;
    case 'part':
      if (e.by === undefined) return `${Who} left.`;
      return isMe(e.by) ? `You removed ${name}.` : `${Who} ${isMe(e.name) ? 'were' : 'was'} removed by ${by}.`;
    case 'topic':
      return e.topic ? `${By} set the topic to “${e.topic}”.` : `${By} cleared the topic.`;
    case 'private':
      return `${By} made the room private: only its members see it, and only they are let in.`;
    case 'public':
      return `${By} made the room public: anyone may find it and join.`;
    case 'history':
      return e.history === 'joined'
        ? `${By} chose that newcomers see the room's messages only from when they join.`
        : `${By} chose that newcomers see the room's earlier messages too.`;
    case 'role':
      if (e.role === 'owner') return `${By} handed the room over to ${who}.`;
      return `${By} made ${who} ${roleWords(e.role ?? 'member')}.`;
    case 'delete':
      return isMe(e.by) ? 'You deleted the room.' : `The room was deleted by ${by}.`;
  }
}

/** Whether the event takes the user into or out of the room (then the lobby hears of it too). */
export function changesMembership(e: RoomEvent, me: string): boolean {
  return e.event === 'delete' || ((e.event === 'join' || e.event === 'part') && e.name !== undefined && sameName(e.name, me));
}

export function roleWords(role: RoomRole): string {
  return { owner: 'the owner', operator: 'an operator', member: 'a plain member' }[role];
}

export function membersCount(n: number): string {
  return n === 1 ? '1 member' : `${n} members`;
}

/** /rooms: the rooms the user may see, one a line. */
export function roomsText(rooms: readonly RoomInfo[]): string {
  if (rooms.length === 0) return 'There are no rooms yet: the + beside Rooms creates one.';
  const lines = rooms.map((r) => {
    const facts = [membersCount(r.members), r.private && 'private', r.joined && 'you are in it'].filter(Boolean);
    return `${r.name} (${facts.join(', ')})${r.topic ? `: ${r.topic}` : ''}`;
  });
  return [`Rooms (${rooms.length}):`, ...lines].join('\n');
}

/** Members in the order lists show them: the owner, the operators, the members; by name within each. */
export function sortedMembers(members: readonly RoomMember[]): RoomMember[] {
  const rank: Record<RoomRole, number> = { owner: 0, operator: 1, member: 2 };
  return [...members].sort((a, b) => rank[a.role] - rank[b.role] || a.name.localeCompare(b.name));
}

/** /members: who is in the room, their role, whether online. */
export function membersText(room: string, members: readonly RoomMember[], online: (name: string) => boolean): string {
  const lines = sortedMembers(members).map((m) => `${m.name}: ${m.role}, ${online(m.name) ? 'online' : 'offline'}${m.registered ? '' : ', a guest'}`);
  return [`${room}: ${membersCount(members.length)}`, ...lines].join('\n');
}

/** Room refusals that need words of their own rather than the server's reason (which names the protocol's requests). */
export const ROOM_REFUSALS: Partial<Record<number, string>> = {
  [ErrorCode.NOT_LOGGED_IN]: 'Only registered users create rooms: keep your name in Settings (⚙) first, or log in.',
  // the client library's refusal of a room request to a server that granted no rooms
  [ErrorCode.REQUEST_INVALID]: 'This server has no rooms.',
};

/** The owner's ROOM_PART refusal, in plain words: what to do instead. */
export function ownerCannotLeave(room: string): string {
  return `You own ${room}, so you cannot just leave it: make another member its owner (in Members), or delete the room.`;
}
