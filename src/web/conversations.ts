import { nameKey } from '../protocol/index.js';
import type { Entry } from './chat.js';

/** Each conversation keeps this many lines; older ones go (a page left open for days stays light). */
const LOG_LIMIT = 2000;

/**
 * The page's conversations, each with its own log and count of unread messages: the lobby (`All`),
 * each room the user is in (docs/protocol.md §10.4) and each person whispered with. A conversation
 * is named by its receiver, in any case (names and rooms are unique without regard to case: §2).
 */
export class Conversations {
  private readonly logs = new Map<string, Entry[]>();
  private readonly unreadCounts = new Map<string, number>();

  entries(name: string): readonly Entry[] {
    return this.logs.get(nameKey(name)) ?? [];
  }

  /** Whether anything was said in the conversation yet (a person's is opened by its first line). */
  has(name: string): boolean {
    return this.logs.has(nameKey(name));
  }

  add(name: string, entry: Entry): void {
    const key = nameKey(name);
    this.logs.set(key, [...(this.logs.get(key) ?? []).slice(-(LOG_LIMIT - 1)), entry]);
  }

  unread(name: string): number {
    return this.unreadCounts.get(nameKey(name)) ?? 0;
  }

  countUnread(name: string): void {
    this.unreadCounts.set(nameKey(name), this.unread(name) + 1);
  }

  markRead(name: string): void {
    this.unreadCounts.delete(nameKey(name));
  }
}
