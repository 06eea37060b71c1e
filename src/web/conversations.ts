import { nameKey } from '../protocol/index.js';
import { ConversationLog } from './conversation-log.js';

/**
 * The page's conversations, each with its own log and count of unread messages: the lobby (`All`),
 * each room the user is in (docs/protocol.md §10.4) and each person whispered with. A conversation
 * is named by its receiver, in any case (names and rooms are unique without regard to case: §2).
 */
export class Conversations {
  private readonly logs = new Map<string, ConversationLog>();
  private readonly unreadCounts = new Map<string, number>();

  /** The conversation's log, made empty the first time it is asked for. */
  log(name: string): ConversationLog {
    const key = nameKey(name);
    let log = this.logs.get(key);
    if (!log) this.logs.set(key, (log = new ConversationLog()));
    return log;
  }

  /** Whether anything was said in the conversation yet (a person's is opened by its first line). */
  has(name: string): boolean {
    return (this.logs.get(nameKey(name))?.entries.length ?? 0) > 0;
  }

  /** Shows a message as deleted in every log that has it (DELETED, docs/protocol.md §11: an own whisper may be in two). */
  markDeleted(id: number): void {
    for (const log of this.logs.values()) log.markDeleted(id);
  }

  /** The server's history started anew: the messages shown are of the old one (ConversationLog.forgetIds). */
  forgetIds(): void {
    for (const log of this.logs.values()) log.forgetIds();
  }

  /** A connection is made: what each log holds was seen by the user (ConversationLog.markSeen). */
  markSeen(): void {
    for (const log of this.logs.values()) log.markSeen();
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
