import type { ChatSession, HistoryPage, PageAt, StampedMessage } from '../client/index.js';
import { ErrorCode, HcpError } from '../protocol/index.js';
import type { ConversationLog, Edge } from './conversation-log.js';
import { lineEntry, type MessageEntry } from './entries.js';

/** Messages a page brings: a screen or two (docs/protocol.md §11 allows up to 200). */
const PAGE = 50;
/** Messages on either side of a search hit when its conversation is opened at it. */
const AROUND = 25;

/** What the pages of history need of the page's chat. */
export interface HistoryHost {
  log(conversation: string): ConversationLog;
  /** A message of a page as a line of the log. */
  entry(m: StampedMessage): MessageEntry;
  /** A failure in plain words. */
  why(err: unknown): string;
  changed(): void;
}

/**
 * The pages of history (HISTORY, docs/protocol.md §11) that grow a conversation's log: older
 * messages above it as the user scrolls up, the page around a search hit, newer messages below a
 * log opened in the past, and the newest page to come back to the present. A page that comes after
 * its log was replaced (a jump elsewhere) is dropped.
 */
export class HistoryPages {
  constructor(
    private readonly session: ChatSession,
    private readonly host: HistoryHost,
  ) {}

  /** Older messages above the log: before its oldest message, or the newest page when it has none yet. */
  loadOlder(conversation: string): Promise<void> {
    return this.grow(conversation, 'older', (log) => ({ before: log.oldestId }), (log, page, more) => log.prepend(page, more));
  }

  /** Newer messages below a log opened in the past, after its newest. */
  loadNewer(conversation: string): Promise<void> {
    return this.grow(conversation, 'newer', (log) => ({ after: log.newestId ?? 0 }), (log, page, more) => log.append(page, more));
  }

  /** Asks again for the page that failed at one edge of the log. */
  retry(conversation: string, side: 'older' | 'newer'): Promise<void> {
    const log = this.host.log(conversation);
    if (log[side].kind === 'failed') log[side] = { kind: 'more' };
    return side === 'older' ? this.loadOlder(conversation) : this.loadNewer(conversation);
  }

  /** The log opened at a message (a search hit): the messages before it, and it and those after it. */
  showAround(conversation: string, id: number): Promise<void> {
    return this.renew(conversation, async () => {
      const [before, after] = await Promise.all([
        this.session.history(conversation, { before: id, limit: AROUND }),
        this.session.history(conversation, { after: id - 1, limit: AROUND }),
      ]);
      return { messages: [...before.messages, ...after.messages], olderMore: before.more, newerMore: after.more };
    });
  }

  /** The newest page in place of a log opened in the past ("Jump to newest"). */
  showNewest(conversation: string): Promise<void> {
    return this.renew(conversation, async () => {
      const newest = await this.session.history(conversation, { limit: PAGE });
      return { messages: newest.messages, olderMore: newest.more, newerMore: false };
    });
  }

  /** Asks a page at one edge of the log (`side`) and adds it there; one at a time on each side. */
  private async grow(
    conversation: string, side: 'older' | 'newer', at: (log: ConversationLog) => PageAt,
    apply: (log: ConversationLog, page: MessageEntry[], more: boolean) => void,
  ): Promise<void> {
    const log = this.host.log(conversation);
    if (log[side].kind !== 'more') return;
    const generation = log.generation;
    log[side] = { kind: 'loading' };
    this.host.changed();
    try {
      const page: HistoryPage = await this.session.history(conversation, { ...at(log), limit: PAGE });
      if (log.generation !== generation) return;
      apply(log, page.messages.map((m) => this.host.entry(m)), page.more);
    } catch (err) {
      if (log.generation === generation) log[side] = this.failed(err);
    }
    this.host.changed();
  }

  /** Makes the log anew from the pages `ask` brings; if they fail, the log stays as it was and says why. */
  private async renew(conversation: string, ask: () => Promise<{ messages: StampedMessage[]; olderMore: boolean; newerMore: boolean }>): Promise<void> {
    const log = this.host.log(conversation);
    const { older, newer } = log;
    const generation = ++log.generation;
    log.older = log.newer = { kind: 'loading' };
    this.host.changed();
    try {
      const { messages, ...edges } = await ask();
      if (log.generation === generation) log.replace(messages.map((m) => this.host.entry(m)), edges);
    } catch (err) {
      if (log.generation !== generation) return;
      log.setEdges(older, newer);
      log.add(lineEntry('error', `Could not open the conversation there: ${this.host.why(err)}`));
    }
    this.host.changed();
  }

  /** A page that failed: to ask again once connected when the connection was the trouble, else to tell. */
  private failed(err: unknown): Edge {
    if (err instanceof HcpError && err.code === ErrorCode.NOT_REGISTERED) return { kind: 'more' };
    return { kind: 'failed', why: this.host.why(err) };
  }
}
