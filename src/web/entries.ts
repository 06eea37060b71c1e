import { isRoomName, type ClientMessage } from '../client/index.js';
import { actionOf } from '../client/commands.js';
import { plainTimes } from '../client/moderation.js';
import { ALL, SERVER } from '../protocol/index.js';
import { mentions } from './mention.js';

/**
 * A message in a log. From a server that keeps history (docs/protocol.md §11) it carries the
 * server's id (`msgId`) and time (`at`); its key is then the id, so a message that comes twice (live
 * and in a page of history) is one line.
 */
export interface MessageEntry {
  key: string;
  at: Date;
  kind: 'message';
  msgId?: number;
  from: string;
  to: string;
  text: string;
  own: boolean;
  action: boolean;
  mention: boolean;
  /** Deleted by its sender (DELETED, §11): its text is gone. */
  deleted: boolean;
}

/** One line of the log: a message, a notice (joins, leaves, help) or an error told by the server. */
export type Entry = MessageEntry | { key: string; at: Date; kind: 'notice' | 'error'; text: string };

let lines = 0;

/** A line of the page's own (a notice, an error): a key no message has. */
export function lineEntry(kind: 'notice' | 'error', text: string): Entry {
  return { key: `line-${++lines}`, at: new Date(), kind, text };
}

/**
 * A message as a line of the log, at the server's time when it has one; `me` tells who is
 * mentioned. A whisper is for the user anyway: a mention is their name said in the lobby or a room.
 */
export function messageEntry(m: ClientMessage & { deleted?: boolean }, me: string | undefined): MessageEntry {
  // what Server tells (a mute, §10.6) carries ISO times
  const text = m.from === SERVER ? plainTimes(m.text) : m.text;
  const action = actionOf(text);
  const whisper = isWhisper(m.to);
  return {
    key: m.id === undefined ? `line-${++lines}` : `msg-${m.id}`,
    at: m.time === undefined ? new Date() : new Date(m.time),
    kind: 'message', msgId: m.id, from: m.from, to: m.to, own: m.own,
    text: action ?? text, action: action !== undefined,
    mention: !m.own && !whisper && me !== undefined && mentions(m.text, me),
    deleted: m.deleted ?? false,
  };
}

/** Whether a message to `to` is a whisper: not to everyone, nor to a room (§10.4). */
export function isWhisper(to: string): boolean {
  return to !== ALL && !isRoomName(to);
}

/** The server's id of a line, when it is a message that has one. */
export function msgIdOf(entry: Entry): number | undefined {
  return entry.kind === 'message' ? entry.msgId : undefined;
}
