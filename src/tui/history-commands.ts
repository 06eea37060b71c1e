import { actionOf, type HistoryCommand } from '../client/commands.js';
import type { SearchHit } from '../client/history.js';
import { moderationText, reportedMessageId } from '../client/moderation.js';
import { runFeatureCommand, type CommandIo } from './command-runner.js';
import { clockOf, messageCount } from './message-line.js';
import type { Windows } from './windows.js';

/** What a history command needs of the terminal client. */
export interface HistoryIo extends CommandIo {
  /** The windows: /delete takes back the user's last message in the one shown. */
  windows: Windows;
}

/**
 * Runs /search, /delete, staff's /mdelete NAME (docs/protocol.md §11, MOD_DELETE §10.6: one's
 * own message goes by DELETE, which needs no role) and /report (§10.6). A deletion shows in every window that has the
 * message, through the session's `deleted` event, here as everywhere else.
 */
export async function runHistoryCommand(cmd: HistoryCommand, io: HistoryIo): Promise<void> {
  const { session } = io;
  const feature = { commands: 'history commands', granted: session.historyEnabled, lacks: 'keeps no history', afterJoining: 'history comes after joining' };
  await runFeatureCommand(io, feature, async () => {
    if (cmd.kind === 'search') return io.notice(searchText(cmd.query, await session.search(cmd.query)));
    if (cmd.kind === 'report') {
      const id = reportedMessageId(io.windows.messagesOf(io.windows.active), cmd.who);
      if (id === undefined) return io.error(`There is no message ${cmd.who ? `of ${cmd.who}` : 'of someone else'} here to report.`);
      const report = await session.report(id, cmd.reason);
      return io.notice(`You reported the message to the moderators (report #${report}).`);
    }
    const from = cmd.from;
    if (from === undefined) {
      const mine = io.windows.lastOwnMessage(io.windows.active);
      if (!mine) return io.error('You have no message here to delete.');
      return session.deleteMessage(mine.id);
    }
    const theirs = io.windows.lastMessageFrom(io.windows.active, from);
    if (!theirs) return io.error(`${from} has no message here to delete.`);
    if (theirs.own) return session.deleteMessage(theirs.id);
    await session.moderate((c) => c.deleteAny(theirs.id));
  }, (err) => moderationText(err.code, err.message) ?? `${{ search: 'No search', report: 'Not reported', unsend: 'Not deleted' }[cmd.kind]}: ${err.message}.`);
}

/**
 * /search's answer: a line per hit, newest first, with its conversation, its time (the day too
 * when not today) and who said what: "[#tea] 14:02 bob: green tea", "[bob] 2026-11-25 09:15 You: …".
 */
export function searchText(query: string, hits: readonly SearchHit[], now = Date.now()): string {
  if (hits.length === 0) return `No message you may read holds every word of "${query}".`;
  const today = new Date(now).toDateString();
  const lines = hits.map((h) => {
    const day = new Date(h.time).toDateString() === today ? '' : `${dayOf(h.time)} `;
    const who = h.own ? 'You' : h.from;
    const action = actionOf(h.text);
    const said = action === undefined ? `${who}: ${h.text}` : `* ${who} ${action}`;
    return `  [${h.conversation}] ${day}${clockOf(h.time)} ${said.replace(/\s*\n\s*/g, ' ')}`;
  });
  return [`Search "${query}": ${messageCount(hits.length)}, newest first`, ...lines].join('\n');
}

/** YYYY-MM-DD of a time, in the terminal's time zone. */
function dayOf(time: number): string {
  const d = new Date(time);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
