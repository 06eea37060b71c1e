import type { RoomCommand } from '../client/commands.js';
import { findRoom, type ChatSession, type RoomSettings, type RoomEvent, type RoomInfo, type RoomMember, type RoomRole } from '../client/index.js';
import { ALL, ErrorCode, nameKey, ROOM_PREFIX, type RoomHistory } from '../protocol/index.js';
import type { Outcome } from './chat.js';
import { membersText, ownerCannotLeave, ROOM_REFUSALS, roomsText } from './room-words.js';

/** What the room requests need of the page's chat. */
export interface RoomsHost {
  /** The user's name. */
  me(): string;
  /** The conversation shown. */
  shown(): string;
  /** Runs a request: its answer, or its refusal in plain words (`wording` first). */
  ask<T>(request: () => Promise<T>, wording: Partial<Record<number, string>>): Promise<Outcome<T>>;
  /** Tells what happened in a room, the user's own changes as others' are (the server tells them only to the others: §10.4). */
  happened(e: RoomEvent): void;
  /** Adds a quiet line to a conversation's log. */
  tell(conversation: string, text: string): void;
  /** Shows a conversation, and sends there from now on. */
  show(name: string): void;
  /** Says under the text box why a command did nothing. */
  refuse(text: string): void;
  /** Whether someone is online. */
  online(name: string): boolean;
}

/**
 * The room requests of docs/protocol.md §10.4 as the page makes them, from its dialogs and from
 * the shared slash commands (src/client/commands.ts): each answers with an Outcome, and a change
 * the user made is told in the room's log as others' changes are.
 */
export class RoomRequests {
  constructor(
    private readonly session: ChatSession,
    private readonly host: RoomsHost,
  ) {}

  /** Creates a room (registered users only): the user is its owner, and it is shown. */
  async create(name: string, settings: RoomSettings): Promise<Outcome<RoomInfo>> {
    const outcome = await this.ask(() => this.session.createRoom(withPrefix(name), settings));
    if (outcome.ok) this.created(outcome.value);
    return outcome;
  }

  /** Joins a room and shows it (a room the user is in already, at once). */
  async join(name: string): Promise<Outcome<RoomInfo>> {
    const mine = findRoom(this.session.rooms, name);
    if (mine) return this.showMine(mine);
    const outcome = await this.ask(() => this.session.joinRoom(name));
    if (outcome.ok) this.joined(outcome.value);
    return outcome;
  }

  /** `/join #room`: joins, or creates the room when there is none and the user may (§10.4). */
  async enter(name: string): Promise<Outcome<unknown>> {
    const mine = findRoom(this.session.rooms, name);
    if (mine) return this.showMine(mine);
    const noRoom = this.session.loggedIn ? {} : { [ErrorCode.NO_SUCH_ROOM]: `There is no room called ${name}, and only registered users create rooms.` };
    const outcome = await this.ask(() => this.session.enterRoom(name), noRoom);
    if (outcome.ok && outcome.value.created) this.created(outcome.value.room);
    else if (outcome.ok) this.joined(outcome.value.room);
    return outcome;
  }

  /** Leaves a room (its owner cannot: §10.4); the lobby is shown if it was. */
  async leave(room: string): Promise<Outcome<void>> {
    const outcome = await this.ask(() => this.session.partRoom(room), { [ErrorCode.ROOM_FORBIDDEN]: ownerCannotLeave(room) });
    if (outcome.ok) this.gone({ room, event: 'part', name: this.host.me() });
    return outcome;
  }

  /** Deletes a room (its owner only), for everyone in it. */
  async delete(room: string): Promise<Outcome<void>> {
    const outcome = await this.ask(() => this.session.deleteRoom(room));
    if (outcome.ok) this.gone({ room, event: 'delete', by: this.host.me() });
    return outcome;
  }

  /** Sets the topic ('' clears it): owners and operators. */
  async setTopic(room: string, topic: string): Promise<Outcome<RoomInfo>> {
    const outcome = await this.ask(() => this.session.setRoom(room, { topic }));
    if (outcome.ok) this.host.happened({ room: outcome.value.name, event: 'topic', topic: outcome.value.topic, by: this.host.me() });
    return outcome;
  }

  /** Makes a room private (invite-only) or public: owners and operators. */
  async setPrivate(room: string, isPrivate: boolean): Promise<Outcome<RoomInfo>> {
    const outcome = await this.ask(() => this.session.setRoom(room, { private: isPrivate }));
    if (outcome.ok) this.host.happened({ room: outcome.value.name, event: isPrivate ? 'private' : 'public', by: this.host.me() });
    return outcome;
  }

  /** Whether newcomers read the room's earlier messages (`all`) or only from their join: owners and operators. */
  async setHistory(room: string, history: RoomHistory): Promise<Outcome<RoomInfo>> {
    const outcome = await this.ask(() => this.session.setRoom(room, { history }));
    if (outcome.ok) this.host.happened({ room: outcome.value.name, event: 'history', history, by: this.host.me() });
    return outcome;
  }

  /** Adds someone to a room (a registered user, or a guest online): owners and operators. */
  async invite(room: string, name: string): Promise<Outcome<void>> {
    const outcome = await this.ask(() => this.session.inviteToRoom(room, name));
    if (outcome.ok) this.host.happened({ room, event: 'join', name, role: 'member', by: this.host.me() });
    return outcome;
  }

  /** Takes a member out of a room: owners, and operators (plain members only). */
  async remove(room: string, name: string): Promise<Outcome<void>> {
    const outcome = await this.ask(() => this.session.removeFromRoom(room, name));
    if (outcome.ok) this.host.happened({ room, event: 'part', name, by: this.host.me() });
    return outcome;
  }

  /** Gives a member a role, or (`owner`) hands the room over: the owner only. */
  async setRole(room: string, name: string, role: RoomRole): Promise<Outcome<void>> {
    const outcome = await this.ask(() => this.session.setRoomRole(room, name, role));
    if (outcome.ok) this.host.happened({ room, event: 'role', name, role, by: this.host.me() });
    return outcome;
  }

  /** The rooms the user may see: public ones, and those they are in. */
  list(): Promise<Outcome<RoomInfo[]>> {
    return this.ask(() => this.session.listRooms());
  }

  members(room: string): Promise<Outcome<RoomMember[]>> {
    return this.ask(() => this.session.roomMembers(room));
  }

  /**
   * Runs a room command typed in the text box (src/client/commands.ts, shared with the terminal
   * client). Resolves whether it was done; a refusal is said under the text box.
   */
  async run(cmd: RoomCommand): Promise<boolean> {
    const outcome = await this.command(cmd);
    if (!outcome.ok) this.host.refuse(outcome.error);
    return outcome.ok;
  }

  private async command(cmd: RoomCommand): Promise<Outcome<unknown>> {
    const tell = (text: string) => this.host.tell(this.host.shown(), text);
    switch (cmd.kind) {
      case 'join':
        return this.enter(cmd.room);
      case 'part':
        return this.leave(cmd.room);
      case 'rooms':
        return told(await this.list(), (rooms) => tell(roomsText(rooms)));
      case 'members':
        return told(await this.members(cmd.room), (members) => tell(membersText(cmd.room, members, this.host.online)));
      case 'topic': {
        if (cmd.topic !== undefined) return this.setTopic(cmd.room, cmd.topic);
        const topic = findRoom(this.session.rooms, cmd.room)?.topic;
        tell(topic ? `The topic of ${cmd.room}: ${topic}` : `${cmd.room} has no topic.`);
        return { ok: true, value: undefined };
      }
      case 'invite':
        return this.invite(cmd.room, cmd.name);
      case 'kick':
        return this.remove(cmd.room, cmd.name);
      case 'privacy':
        return this.setPrivate(cmd.room, cmd.private);
      case 'roomHistory': {
        if (cmd.history !== undefined) return this.setHistory(cmd.room, cmd.history);
        const joined = findRoom(this.session.rooms, cmd.room)?.history === 'joined';
        tell(joined ? `Newcomers to ${cmd.room} see its messages only from when they join.` : `Newcomers to ${cmd.room} see its earlier messages too.`);
        return { ok: true, value: undefined };
      }
      case 'role':
        return this.setRole(cmd.room, cmd.name, cmd.role);
      case 'delete':
        return this.delete(cmd.room);
    }
  }

  private showMine(room: RoomInfo): Outcome<RoomInfo> {
    this.host.show(room.name);
    return { ok: true, value: room };
  }

  private created(room: RoomInfo): void {
    this.host.show(room.name);
    this.host.tell(room.name, `You created ${room.name}: you are its owner.`);
  }

  private joined(room: RoomInfo): void {
    this.host.show(room.name);
    this.host.happened({ room: room.name, event: 'join', name: this.host.me() });
  }

  /** The user is out of the room: the lobby is shown instead (and tells it). */
  private gone(e: RoomEvent): void {
    if (nameKey(this.host.shown()) === nameKey(e.room)) this.host.show(ALL);
    this.host.happened(e);
  }

  private ask<T>(request: () => Promise<T>, wording: Partial<Record<number, string>> = {}): Promise<Outcome<T>> {
    return this.host.ask(request, { ...ROOM_REFUSALS, ...wording });
  }
}

/** A room's name as typed in a form: "tea" is "#tea". */
export function withPrefix(name: string): string {
  const trimmed = name.trim();
  return trimmed.startsWith(ROOM_PREFIX) ? trimmed : `${ROOM_PREFIX}${trimmed}`;
}

/** Shows an answer when there is one, and passes the outcome on. */
function told<T>(outcome: Outcome<T>, show: (value: T) => void): Outcome<T> {
  if (outcome.ok) show(outcome.value);
  return outcome;
}
