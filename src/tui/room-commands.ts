import type { RoomCommand } from '../client/commands.js';
import { sameName, type RoomEvent, type RoomInfo, type RoomMember, type RoomRole } from '../client/rooms.js';
import type { ChatSession } from '../client/session.js';
import { ErrorCode, HcpError } from '../protocol/index.js';
import { runFeatureCommand, type CommandIo } from './command-runner.js';

/** What a room command needs of the terminal client. */
export interface RoomIo extends CommandIo {
  /** Tells in the room's window. */
  tell(room: string, text: string): void;
  /** Opens the room's window, and shows it. */
  showRoom(room: string): void;
  /** Closes the room's window; false when there was none. */
  closeRoom(room: string): boolean;
}

/**
 * Runs /join, /part, /rooms, /members, /topic, /invite, /kick, /private, /public, /history, /op, /deop,
 * /handover and /delete (docs/protocol.md §10.4); refusals are told in plain words.
 */
export async function runRoomCommand(cmd: RoomCommand, io: RoomIo): Promise<void> {
  const { session } = io;
  const feature = { commands: 'room commands', granted: session.roomsEnabled, lacks: 'has no rooms', afterJoining: 'rooms come after joining' };
  await runFeatureCommand(io, feature, () => run(cmd, io), (err) => refusal(cmd, err, session));
}

async function run(cmd: RoomCommand, io: RoomIo): Promise<void> {
  const { session } = io;
  switch (cmd.kind) {
    case 'join': {
      const { room, created } = await session.enterRoom(cmd.room);
      io.showRoom(room.name);
      io.tell(room.name, created ? `You created ${room.name}: you are its owner. /help lists what owners may do.` : `You joined ${room.name} (${count(room.members)}).`);
      if (room.topic) io.tell(room.name, `Topic: ${room.topic}`);
      return;
    }
    case 'part':
      if (!session.present(cmd.room)) {
        // removed, or the room is gone: only its window was left
        return io.notice(io.closeRoom(cmd.room) ? `Closed the window of ${cmd.room}: you were no longer in it.` : `You are not in ${cmd.room}.`);
      }
      await session.partRoom(cmd.room);
      io.closeRoom(cmd.room);
      return io.notice(`You left ${cmd.room}.`);
    case 'rooms':
      return io.notice(roomsText(await session.listRooms()));
    case 'members':
      return io.notice(membersText(cmd.room, await session.roomMembers(cmd.room)));
    case 'topic': {
      if (cmd.topic === undefined) {
        const topic = session.rooms.find((r) => sameName(r.name, cmd.room))?.topic;
        return io.tell(cmd.room, topic ? `Topic: ${topic}` : `${cmd.room} has no topic: /topic TEXT sets it.`);
      }
      const room = await session.setRoom(cmd.room, { topic: cmd.topic });
      return io.tell(room.name, room.topic ? `You set the topic: ${room.topic}` : 'You cleared the topic.');
    }
    case 'invite':
      await session.inviteToRoom(cmd.room, cmd.name);
      return io.tell(cmd.room, `You added ${cmd.name} to ${cmd.room}.`);
    case 'kick':
      await session.removeFromRoom(cmd.room, cmd.name);
      return io.tell(cmd.room, `You removed ${cmd.name} from ${cmd.room}.`);
    case 'privacy': {
      const room = await session.setRoom(cmd.room, { private: cmd.private });
      return io.tell(room.name, room.private ? `${room.name} is invite-only now: /invite NAME adds someone.` : `${room.name} is public now: anyone may join.`);
    }
    case 'roomHistory': {
      if (cmd.history === undefined) {
        const joined = session.rooms.find((r) => sameName(r.name, cmd.room))?.history === 'joined';
        return io.tell(cmd.room, `${newcomersWords(cmd.room, joined)} (/history all|joined changes it: owners and operators)`);
      }
      const room = await session.setRoom(cmd.room, { history: cmd.history });
      return io.tell(room.name, `${newcomersWords(room.name, room.history === 'joined')}.`);
    }
    case 'role':
      await session.setRoomRole(cmd.room, cmd.name, cmd.role);
      return io.tell(cmd.room, cmd.role === 'owner' ? `${cmd.name} owns ${cmd.room} now; you are an operator.` : `${cmd.name} is ${roleWords(cmd.role)} of ${cmd.room} now.`);
    case 'delete':
      await session.deleteRoom(cmd.room);
      io.closeRoom(cmd.room);
      return io.notice(`You deleted ${cmd.room}.`);
  }
}

/** A refusal in plain words, with what to do instead where there is something. */
function refusal(cmd: RoomCommand, err: HcpError, session: ChatSession): string {
  const room = 'room' in cmd ? cmd.room : '';
  if (cmd.kind === 'join' && err.code === ErrorCode.NO_SUCH_ROOM && !session.loggedIn) {
    return `There is no room ${room}, and only registered users create rooms: /register first.`;
  }
  if (cmd.kind === 'part' && err.code === ErrorCode.ROOM_FORBIDDEN) {
    return `You own ${room}: /handover NAME gives it to another member, /delete ${room} deletes it.`;
  }
  return `${failed[cmd.kind]}: ${err.message}.`;
}

const failed: Record<RoomCommand['kind'], string> = {
  join: 'Not joined', part: 'Not left', rooms: 'No list of rooms', members: 'No list of members', topic: 'Topic not changed',
  invite: 'Not added', kick: 'Not removed', privacy: 'Not changed', roomHistory: 'Not changed', role: 'Role not changed', delete: 'Not deleted',
};

function count(members: number): string {
  return members === 1 ? '1 member' : `${members} members`;
}

/** What a room's newcomers read (docs/protocol.md §10.4, §11). */
function newcomersWords(room: string, joined: boolean): string {
  return joined ? `Newcomers to ${room} read its messages only from when they joined` : `Newcomers to ${room} read all of its earlier messages`;
}

function roleWords(role: RoomRole): string {
  return { owner: 'the owner', operator: 'an operator', member: 'a plain member' }[role];
}

/** /rooms: each room the user may see, its members, whether private and joined, its topic. */
export function roomsText(rooms: readonly RoomInfo[]): string {
  if (rooms.length === 0) return 'No rooms yet: /join #name creates one (registered users).';
  const lines = rooms.map((r) => {
    const facts = [count(r.members), ...(r.private ? ['private'] : []), ...(r.joined ? [`joined${r.role && r.role !== 'member' ? `, ${r.role}` : ''}`] : [])];
    return `  ${r.name} (${facts.join(', ')})${r.topic ? `: ${r.topic}` : ''}`;
  });
  return [`Rooms (${rooms.length}): /join #name joins one`, ...lines].join('\n');
}

/** The mark a member's role carries in lists: ~ the owner, @ an operator (as IRC clients show them). */
export function roleMark(role: RoomRole): string {
  return { owner: '~', operator: '@', member: ' ' }[role];
}

/** Members in the order lists show them: the owner, operators, members; by name within each. */
export function sortedMembers(members: readonly RoomMember[]): RoomMember[] {
  const rank = { owner: 0, operator: 1, member: 2 };
  return [...members].sort((a, b) => rank[a.role] - rank[b.role] || a.name.localeCompare(b.name));
}

/** /members: the room's members, their role, whether online, guests said so. */
export function membersText(room: string, members: readonly RoomMember[]): string {
  const lines = sortedMembers(members).map((m) => `  ${roleMark(m.role)}${m.name}: ${m.role}, ${m.online ? 'online' : 'offline'}${m.registered ? '' : ', a guest'}`);
  return [`${room}: ${count(members.length)}`, ...lines].join('\n');
}

/** What a room's event says in its window (`me`: the user's name, told as "you"); `alarm` when the user is out of the room by it. */
export function roomEventText(e: RoomEvent, me: string): { text: string; alarm: boolean } {
  const mine = e.name !== undefined && sameName(e.name, me);
  const who = mine ? 'you' : (e.name ?? 'someone');
  const by = e.by ?? 'someone';
  switch (e.event) {
    case 'join':
      return { text: e.by ? `${by} added ${who} to ${e.room}` : `${e.name} joined ${e.room}`, alarm: false };
    case 'part':
      return { text: e.by ? `${by} removed ${who} from ${e.room}` : `${e.name} left ${e.room}`, alarm: mine };
    case 'topic':
      return { text: e.topic ? `${by} set the topic: ${e.topic}` : `${by} cleared the topic`, alarm: false };
    case 'private':
      return { text: `${by} made ${e.room} invite-only`, alarm: false };
    case 'public':
      return { text: `${by} made ${e.room} public`, alarm: false };
    case 'history':
      return { text: e.history === 'joined' ? `${by} chose that newcomers read ${e.room} only from when they join` : `${by} chose that newcomers read all of ${e.room}`, alarm: false };
    case 'role':
      if (e.role === 'owner') return { text: `${by} handed ${e.room} over to ${who}`, alarm: false };
      if (e.by !== undefined && e.name !== undefined && sameName(e.by, e.name)) return { text: `${e.name} is ${roleWords(e.role ?? 'member')} now`, alarm: false };
      return { text: `${by} made ${who} ${roleWords(e.role ?? 'member')}`, alarm: false };
    case 'delete':
      return { text: e.by ? `${by} deleted ${e.room}` : `${e.room} was deleted`, alarm: true };
  }
}
