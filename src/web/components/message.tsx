import type { MessageEntry, Entry } from '../entries.js';
import { isWhisper } from '../entries.js';
import { timeLabel } from '../dates.js';
import { linkify } from '../links.js';
import { FlagIcon, TrashIcon } from './icons.js';

interface Props {
  entry: Entry;
  me: string | undefined;
  now: Date;
  /** Picked out for a moment: the search hit the user opened. */
  highlighted: boolean;
  /** Offered on the user's own messages that the server keeps (docs/protocol.md §11): asks to delete it. */
  askDelete: ((entry: MessageEntry) => void) | undefined;
  /** The user is staff (§10.6): the delete action is on everyone's messages. */
  anyone: boolean;
  /** Offered on others' messages that the server keeps: asks to report it to the moderators (§10.6). */
  askReport: ((entry: MessageEntry) => void) | undefined;
}

/** One line of the log. User text is only ever text nodes and checked links, never HTML. */
export function Message({ entry, me, now, highlighted, askDelete, anyone, askReport }: Props) {
  const time = <time dateTime={entry.at.toISOString()} title={entry.at.toLocaleString()}>{timeLabel(entry.at, now)}</time>;
  if (entry.kind !== 'message') {
    return <li class={entry.kind} data-key={entry.key}>{time} <span class="text">{entry.text}</span></li>;
  }
  const whisper = isWhisper(entry.to); // a room's messages show as the lobby's, in its own log
  const action = entry.action && !entry.deleted;
  const classes = [entry.own && 'own', whisper && 'whisper', entry.mention && 'mention', action && 'action', highlighted && 'highlighted'];
  const from = entry.own && !action ? 'You' : entry.from; // "* alice waves", not "* You waves"
  const deletable = askDelete && (entry.own || anyone) && entry.msgId !== undefined && !entry.deleted;
  const reportable = askReport && !entry.own && entry.msgId !== undefined && !entry.deleted;
  return (
    // a tap on a message (no hover on a phone) shows its delete and report buttons: it has the focus within
    <li class={classes.filter(Boolean).join(' ') || undefined} data-key={entry.key} data-msg-id={entry.msgId} tabIndex={deletable || reportable ? -1 : undefined}>
      {time}{' '}
      {whisper && <><span class="tag">{entry.own ? `whisper to ${entry.to}` : entry.to === me ? 'whisper' : `to ${entry.to}`}</span>{' '}</>}
      <span class="from">{action ? `* ${from}` : from}</span>{' '}
      {entry.deleted ? <span class="text deleted">message deleted</span> : <span class="text"><Linked text={entry.text} /></span>}
      {(deletable || reportable) && (
        // side by side at the line's end: staff have both on others' messages
        <span class="message-actions">
          {reportable && (
            <button type="button" class="report-message" aria-label={`Report ${entry.from}'s message`} title="Report to the moderators" onClick={() => askReport(entry)}>
              <FlagIcon />
            </button>
          )}
          {deletable && (
            <button type="button" class="delete-message" aria-label={entry.own ? 'Delete your message' : `Delete ${entry.from}'s message`} title="Delete for everyone" onClick={() => askDelete(entry)}>
              <TrashIcon />
            </button>
          )}
        </span>
      )}
    </li>
  );
}

function Linked({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((piece, i) =>
        'href' in piece
          ? <a key={i} href={piece.href} target="_blank" rel="noopener noreferrer">{piece.text}</a>
          : piece.text,
      )}
    </>
  );
}
