import { actionOf } from '../client/commands.js';
import type { ClientMessage } from '../client/history.js';
import { plainTimes } from '../client/moderation.js';
import { isRoomName } from '../client/rooms.js';
import { ALL, SERVER } from '../protocol/index.js';
import type { EntryKind, LogEntry } from './log-rows.js';

/** What a deleted message shows in place of its text (docs/protocol.md §11). */
export const DELETED_TEXT = '(deleted)';

/** The conversation a message belongs to: the lobby (ALL), its room (docs/protocol.md §10.4), or the other side of a whisper. */
export function conversationOf(m: ClientMessage): string {
  if (m.to === ALL || isRoomName(m.to)) return m.to;
  return m.own ? m.to : m.from;
}

/** How the log shows a message: "bob: hi", "You: hi", "bob → you: psst", "You → bob: psst", "* bob waves". */
export function messageLine(m: ClientMessage, me: string): { kind: EntryKind; text: string; from: string } {
  const said = m.to === ALL || isRoomName(m.to); // to everyone in the lobby or the room: no arrow
  const action = actionOf(m.text);
  if (action !== undefined) {
    const who = said ? (m.own ? me : m.from) : m.own ? `${me} → ${m.to}:` : `${m.from} → you:`;
    return { kind: 'action', text: action, from: who };
  }
  if (said) return { kind: m.own ? 'own' : 'message', text: m.text, from: m.own ? 'You' : m.from };
  return { kind: m.own ? 'own' : 'whisper', text: m.text, from: m.own ? `You → ${m.to}` : `${m.from} → you` };
}

/** HH:MM of a time (ms since 1970; now when none), in the terminal's time zone. */
export function clockOf(time = Date.now()): string {
  return new Date(time).toTimeString().slice(0, 5);
}

/**
 * A message's entry in the log: its line, at the server's time when it has one; a stamped message
 * (§11) refers to its id and conversation, and a deleted one (a page of history) shows as deleted.
 */
export function messageEntry(m: ClientMessage & { deleted?: boolean }, me: string): LogEntry {
  // what Server tells (a mute, §10.6) carries ISO times
  const line = messageLine(m.from === SERVER ? { ...m, text: plainTimes(m.text) } : m, me);
  const entry: LogEntry = { ...line, time: clockOf(m.time) };
  if (m.id !== undefined) entry.message = { id: m.id, conversation: conversationOf(m), from: m.from, own: m.own };
  return m.deleted ? deletedEntry(entry) : entry;
}

/** An entry whose message was deleted: its text gone. */
export function deletedEntry(entry: LogEntry): LogEntry {
  return { ...entry, text: DELETED_TEXT, deleted: true };
}

/** "1 message", "12 messages". */
export function messageCount(n: number): string {
  return n === 1 ? '1 message' : `${n} messages`;
}
