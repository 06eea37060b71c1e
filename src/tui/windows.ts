import type { CommandHelp } from '../client/commands.js';
import { isRoomName, sameName } from '../client/rooms.js';
import { ALL } from '../protocol/index.js';
import type { LogEntry, MessageRef } from './log-rows.js';
import { deletedEntry } from './message-line.js';

/** Entries kept per window; the oldest go first. */
const MAX_ENTRIES = 5000;

export type WindowKind = 'lobby' | 'room' | 'whisper';

/** One conversation on screen, as irssi users know windows: the lobby (window 1), a room, whispers with one user. */
export interface ChatWindow {
  /** Whom what is typed in it goes to: ALL, a room's name, a user's name. */
  conversation: string;
  kind: WindowKind;
  entries: LogEntry[];
  /** Something was said in it since it was last shown. */
  unread: boolean;
  /** What of its conversation's past it may still load (HISTORY, docs/protocol.md §11): `more`, being loaded, or all. */
  past: 'more' | 'loading' | 'complete';
}

/** /help for the keys that show windows. */
export const WINDOW_KEYS: readonly CommandHelp[] = [
  { usage: 'Alt-1 … Alt-9', meaning: 'show window 1 … 9 (1 is everyone; each room and whisper has its own)' },
  { usage: 'Ctrl-N, Ctrl-P', meaning: 'show the next or the previous window' },
  { usage: 'PgUp, PgDn', meaning: "scroll the window's log; PgUp at its top loads older messages, when the server keeps them" },
];

/** What counts as something said (marks a window unread); notices and errors do not. */
const SAID: ReadonlySet<LogEntry['kind']> = new Set(['message', 'whisper', 'action']);

/**
 * The windows of the terminal client, in the order they were opened (the lobby first), and which
 * one is shown. Alt-1…9 show window N, Ctrl-N / Ctrl-P the next or previous one.
 */
export class Windows {
  readonly list: ChatWindow[] = [{ conversation: ALL, kind: 'lobby', entries: [], unread: false, past: 'more' }];
  private shown = 0;

  get active(): ChatWindow {
    return this.list[this.shown]!;
  }

  get lobby(): ChatWindow {
    return this.list[0]!;
  }

  /** The window of a conversation (names in any case), if open. */
  find(conversation: string): ChatWindow | undefined {
    return this.list.find((w) => sameName(w.conversation, conversation));
  }

  /** The window of a conversation, opened (last, not shown) when there is none. */
  open(conversation: string): ChatWindow {
    const found = this.find(conversation);
    if (found) return found;
    const window: ChatWindow = { conversation, kind: isRoomName(conversation) ? 'room' : 'whisper', entries: [], unread: false, past: 'more' };
    this.list.push(window);
    return window;
  }

  /** Closes a conversation's window (never the lobby); when it was shown, the one before it is. False when there was none. */
  close(conversation: string): boolean {
    const at = this.list.findIndex((w) => sameName(w.conversation, conversation));
    if (at <= 0) return false;
    this.list.splice(at, 1);
    if (this.shown >= at) this.show(this.shown - 1);
    return true;
  }

  /** Shows the window at `index` (0 = the lobby); false when there is none. */
  show(index: number): boolean {
    const window = this.list[index];
    if (!window) return false;
    this.shown = index;
    window.unread = false;
    return true;
  }

  /** Shows the window of a conversation, opening it when there is none. */
  showConversation(conversation: string): ChatWindow {
    const window = this.open(conversation);
    this.show(this.list.indexOf(window));
    return window;
  }

  /** Shows the next window (`step` 1) or the previous one (-1), round. */
  cycle(step: 1 | -1): void {
    this.show((this.shown + step + this.list.length) % this.list.length);
  }

  /** Adds an entry to a window; something said in a window not shown marks it unread. */
  add(window: ChatWindow, entry: LogEntry): void {
    window.entries.push(entry);
    if (window.entries.length > MAX_ENTRIES) window.entries.shift();
    if (window !== this.active && SAID.has(entry.kind)) window.unread = true;
  }

  /** Puts older entries (a page of history) above those a window holds. */
  prepend(window: ChatWindow, entries: readonly LogEntry[]): void {
    window.entries.unshift(...entries);
  }

  /** The id of the oldest message a window shows of its conversation: older ones are loaded before it (§11). */
  oldestMessage(window: ChatWindow): number | undefined {
    const ids = conversationEntries(window).map((e) => e.message!.id);
    return ids.length > 0 ? Math.min(...ids) : undefined;
  }

  /** The user's last message in a window's conversation that is not deleted yet: /delete deletes it. */
  lastOwnMessage(window: ChatWindow): MessageRef | undefined {
    return conversationEntries(window).filter((e) => e.message!.own && !e.deleted).at(-1)?.message;
  }

  /** `name`'s last message in a window's conversation that is not deleted yet: staff's /mdelete deletes it. */
  lastMessageFrom(window: ChatWindow, name: string): MessageRef | undefined {
    return this.messagesOf(window).filter((m) => sameName(m.from, name)).at(-1);
  }

  /** The messages of a window's conversation that are not deleted, oldest first: /report picks one. */
  messagesOf(window: ChatWindow): MessageRef[] {
    return conversationEntries(window).filter((e) => !e.deleted).map((e) => e.message!);
  }

  /** Shows a message as deleted wherever it is (DELETED, §11); false when no window has it. */
  markDeleted(id: number): boolean {
    let found = false;
    for (const window of this.list) {
      window.entries = window.entries.map((e) => {
        if (e.message?.id !== id || e.deleted) return e;
        found = true;
        return deletedEntry(e);
      });
    }
    return found;
  }

  /**
   * The windows as the header lists them: "[1:All] 2:#tea* 3:bob", the one shown in brackets,
   * those with something unread starred; `compact` (a narrow terminal), the others by number only: "[1:All] 2* 3".
   */
  labels(compact = false): Array<{ text: string; active: boolean; unread: boolean }> {
    return this.list.map((w, i) => {
      const active = w === this.active;
      const label = `${i + 1}${compact && !active ? '' : `:${w.conversation}`}${w.unread ? '*' : ''}`;
      return { text: active ? `[${label}]` : label, active, unread: w.unread };
    });
  }
}

/** The entries of a window's messages of its own conversation (a whisper shown where the user was belongs to another). */
function conversationEntries(window: ChatWindow): LogEntry[] {
  return window.entries.filter((e) => e.message !== undefined && sameName(e.message.conversation, window.conversation));
}
