import type { ClientEvents } from '../client/client.js';
import { actionOf } from '../client/commands.js';
import { isRoomName } from '../client/rooms.js';
import { ALL } from '../protocol/index.js';
import type { EntryKind } from './log-rows.js';

type Message = ClientEvents['message'];

/** The conversation a message belongs to: the lobby (ALL), its room (docs/protocol.md §10.4), or the other side of a whisper. */
export function conversationOf(m: Message): string {
  if (m.to === ALL || isRoomName(m.to)) return m.to;
  return m.own ? m.to : m.from;
}

/** How the log shows a message: "bob: hi", "You: hi", "bob → you: psst", "You → bob: psst", "* bob waves". */
export function messageLine(m: Message, me: string): { kind: EntryKind; text: string; from: string } {
  const said = m.to === ALL || isRoomName(m.to); // to everyone in the lobby or the room: no arrow
  const action = actionOf(m.text);
  if (action !== undefined) {
    const who = said ? (m.own ? me : m.from) : m.own ? `${me} → ${m.to}:` : `${m.from} → you:`;
    return { kind: 'action', text: action, from: who };
  }
  if (said) return { kind: m.own ? 'own' : 'message', text: m.text, from: m.own ? 'You' : m.from };
  return { kind: m.own ? 'own' : 'whisper', text: m.text, from: m.own ? `You → ${m.to}` : `${m.from} → you` };
}
