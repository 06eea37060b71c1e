import type { StampedMessage } from '../client/history.js';
import type { ChatSession } from '../client/session.js';
import { messageCount, messageEntry } from './message-line.js';
import type { LogEntry } from './log-rows.js';
import type { ChatWindow, Windows } from './windows.js';

/** Messages asked for per page of scroll-back (HISTORY's default, docs/protocol.md §11). */
const PAGE = 50;

/** The line above the first message of a conversation. */
export const BEGINNING = '— beginning of the conversation —';

/** A quiet line in the log. */
export function divider(text: string): LogEntry {
  return { kind: 'divider', text };
}

/**
 * Loads the page of a window's conversation older than the oldest message it shows (HISTORY
 * before it, docs/protocol.md §11) and puts it above the rest; when there is nothing older, a line
 * says so and the window loads no more. Resolves with how many entries it added; rejects with the
 * server's refusal (the window may then try again).
 */
export async function loadOlder(session: ChatSession, windows: Windows, window: ChatWindow): Promise<number> {
  if (window.past !== 'more') return 0;
  window.past = 'loading';
  try {
    const before = windows.oldestMessage(window);
    const page = await session.history(window.conversation, { ...(before !== undefined && { before }), limit: PAGE });
    // what came live meanwhile, if the window had no message yet, is there already
    const oldest = windows.oldestMessage(window);
    const me = session.name ?? 'You';
    const entries = page.messages.filter((m) => oldest === undefined || m.id < oldest).map((m) => messageEntry(m, me));
    if (!page.more) entries.unshift(divider(BEGINNING));
    windows.prepend(window, entries);
    window.past = page.more ? 'more' : 'complete';
    return entries.length;
  } catch (err) {
    window.past = 'more';
    throw err;
  }
}

/**
 * The quiet lines that close a catch-up (§11): in each window that got missed messages, how many
 * it got; in the window shown, how many in all when it got none ("nothing missed" when none came).
 */
export function caughtUpLines(missed: readonly StampedMessage[], windowOf: (m: StampedMessage) => ChatWindow, shown: ChatWindow): Array<{ window: ChatWindow; text: string }> {
  const counts = new Map<ChatWindow, number>();
  for (const m of missed) {
    const window = windowOf(m);
    counts.set(window, (counts.get(window) ?? 0) + 1);
  }
  const lines = [...counts].map(([window, n]) => ({ window, text: `— caught up: ${messageCount(n)} —` }));
  if (counts.has(shown)) return lines;
  const text = missed.length === 0 ? '— caught up: nothing missed —' : `— caught up: ${messageCount(missed.length)} in other windows —`;
  return [...lines, { window: shown, text }];
}
