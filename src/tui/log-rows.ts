import chalk from 'chalk';
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import { ACCOUNT_COMMANDS, COMMANDS, HISTORY_COMMANDS, MODERATION_COMMANDS, ROOM_COMMANDS } from '../client/commands.js';
import { displayText } from './display-text.js';
import { WINDOW_KEYS } from './windows.js';

/** `divider`: a quiet line between parts of the log ("— caught up: 12 messages —"). */
export type EntryKind = 'message' | 'own' | 'whisper' | 'action' | 'notice' | 'error' | 'help' | 'divider';

/** The message an entry shows, from a server that keeps history (docs/protocol.md §11). */
export interface MessageRef {
  id: number;
  /** `All`, a room, or the other party of whispers. */
  conversation: string;
  /** Its sender, as the server names them: /report and staff's /mdelete find a user's last message by it. */
  from: string;
  /** The user sent it (and may delete it). */
  own: boolean;
}

/** The text of a /help entry that lists the moderation commands too (to staff only: others are refused them). */
export const HELP_WITH_MODERATION = 'moderation';

/** One entry of the message log: a message, an action, a notice, an error, a divider, or the /help table. */
export interface LogEntry {
  /** HH:MM: the server's time of a stamped message, else when it was shown; a divider has none. */
  time?: string;
  kind: EntryKind;
  /** Who said it, as shown: "bob", "You", "bob → you", "You → bob". */
  from?: string;
  text: string;
  message?: MessageRef;
  /** The message was deleted by its sender: its text is gone. */
  deleted?: true;
}

const nameStyle: Partial<Record<EntryKind, (s: string) => string>> = {
  message: chalk.bold,
  own: chalk.bold.green,
  whisper: chalk.bold.magenta,
};
const bodyStyle: Record<EntryKind, (s: string) => string> = {
  message: (s) => s,
  own: (s) => s,
  whisper: chalk.magenta,
  action: chalk.cyan,
  notice: chalk.gray.italic,
  error: chalk.red,
  help: (s) => s,
  divider: chalk.dim,
};
const deletedStyle = chalk.dim.italic;
const marker: Partial<Record<EntryKind, string>> = { action: '* ', notice: '* ', error: '! ' };

/**
 * The display rows of one entry at `width` columns: wrapped at word boundaries (hard within a
 * word longer than a row), each row at most `width` columns wide as the terminal draws it, colours
 * included. The lines of a multi-line text are rows of their own, keeping their indentation.
 */
export function entryRows(entry: LogEntry, width: number): string[] {
  if (entry.kind === 'help') return helpRows(width, entry.text === HELP_WITH_MODERATION);
  const style = entry.deleted ? deletedStyle : bodyStyle[entry.kind];
  const [first = '', ...more] = displayText(entry.text).split('\n');
  const said = entry.kind !== 'action' && entry.from !== undefined;
  // "09:50 bob: howdy", "09:50 * bob waves", "09:50 * bob joined", "09:50 ! refused"
  const lead = said
    ? `${nameStyle[entry.kind]!(`${entry.from}:`)} ${style(first)}`
    : style(`${marker[entry.kind] ?? ''}${entry.from === undefined ? '' : `${entry.from} `}${first}`);
  return [
    ...wrapRows(entry.time === undefined ? lead : `${chalk.dim(entry.time)} ${lead}`, width),
    ...more.flatMap((line) => {
      const indent = /^ */.exec(line)![0].slice(0, Math.floor(width / 2));
      return wrapRows(style(line.slice(indent.length)), width - indent.length).map((row) => indent + row);
    }),
  ];
}

/** /help: the commands as two aligned columns, the meanings wrapped under their own column. */
function helpRows(width: number, moderation: boolean): string[] {
  const commands = [...COMMANDS, ...ACCOUNT_COMMANDS, ...ROOM_COMMANDS, ...HISTORY_COMMANDS, ...(moderation ? MODERATION_COMMANDS : []), ...WINDOW_KEYS];
  const column = Math.max(...commands.map((c) => stringWidth(c.usage))) + 2;
  const rows = [chalk.bold('Commands:')];
  for (const { usage, meaning } of commands) {
    if (width - column >= 16) {
      const [first = '', ...rest] = wrapRows(meaning, width - column);
      rows.push(chalk.cyan(usage.padEnd(column)) + first, ...rest.map((r) => ' '.repeat(column) + r));
    } else {
      // too narrow for two columns: the meaning goes under the command
      rows.push(...wrapRows(chalk.cyan(usage), width), ...wrapRows(meaning, width - 2).map((r) => `  ${r}`));
    }
  }
  return rows;
}

function wrapRows(text: string, width: number): string[] {
  return wrapAnsi(text, Math.max(1, width), { hard: true }).split('\n');
}

/** What of the log fits a window of `height` rows, `rowsBelow` rows up from the newest. */
export interface LogView {
  rows: string[];
  /** Rows of the log in all, at this width. */
  total: number;
  /** Rows below the window (0: the newest row is the last one shown). */
  rowsBelow: number;
}

const cache = new WeakMap<LogEntry, { width: number; rows: string[] }>();

/** The rows of an entry, wrapped once per width. */
export function rowsOf(entry: LogEntry, width: number): string[] {
  const hit = cache.get(entry);
  if (hit?.width === width) return hit.rows;
  const rows = entryRows(entry, width);
  cache.set(entry, { width, rows });
  return rows;
}

/** The rows to draw: exactly those that fit, the newest at the bottom unless scrolled back. */
export function logView(entries: readonly LogEntry[], width: number, height: number, rowsBelow: number): LogView {
  const all = entries.flatMap((e) => rowsOf(e, width));
  const below = Math.max(0, Math.min(rowsBelow, all.length - height));
  const end = all.length - below;
  return { rows: all.slice(Math.max(0, end - height), end), total: all.length, rowsBelow: below };
}
