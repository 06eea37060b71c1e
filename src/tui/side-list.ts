import { sameName, type RoomMember } from '../client/rooms.js';
import type { UserStatus } from '../client/statuses.js';
import { roleMark, sortedMembers } from './room-commands.js';
import { visibleUsers } from './user-list.js';
import type { ChatWindow } from './windows.js';

/** One line of the list beside the log. */
export interface SideRow {
  name: string;
  /** Before the name: » for the one whispered to, ~ or @ for a room's owner or operator. */
  mark: string;
  you: boolean;
  /** The one whispered to in a whisper window. */
  selected: boolean;
  /** A room's member who is not online. */
  offline: boolean;
  /** Away or busy (docs/protocol.md §10.3), as weechat marks away users in its nick list; undefined when available or offline. */
  status: 'away' | 'busy' | undefined;
}

/**
 * The list beside the log, `rows` lines with its title: who is online (the lobby, a whisper
 * window, with the one whispered to marked), or a room's members with their roles (§10.4).
 */
export function sideList(
  window: ChatWindow, users: readonly string[], members: readonly RoomMember[] | undefined, me: string | undefined, rows: number,
  statusOf: (name: string) => UserStatus,
): { title: string; rows: SideRow[]; more: number } {
  const isMe = (name: string) => me !== undefined && sameName(name, me);
  const shownStatus = (name: string) => {
    const { status } = statusOf(name);
    return status === 'available' ? undefined : status;
  };
  if (window.kind === 'room') {
    const sorted = sortedMembers(members ?? []);
    const { shown, more } = visibleUsers(sorted.map((m) => m.name), rows - 1, [me]);
    const byName = new Map(sorted.map((m) => [m.name, m]));
    return {
      title: members ? `${window.conversation} (${members.length})` : window.conversation,
      rows: shown.map((name) => {
        const offline = !users.some((u) => sameName(u, name));
        return { name, mark: `${roleMark(byName.get(name)!.role)} `, you: isMe(name), selected: false, offline, status: offline ? undefined : shownStatus(name) };
      }),
      more,
    };
  }
  const partner = window.kind === 'whisper' ? users.find((u) => sameName(u, window.conversation)) : undefined;
  const { shown, more } = visibleUsers([...users], rows - 1, [me, partner]);
  return {
    title: `Online (${users.length})`,
    rows: shown.map((name) => ({ name, mark: name === partner ? '» ' : '  ', you: isMe(name), selected: name === partner, offline: false, status: shownStatus(name) })),
    more,
  };
}
