import { isRoomName } from '../../client/index.js';
import { ALL } from '../../protocol/index.js';
import type { Entry } from '../chat.js';
import { timeLabel } from '../dates.js';
import { linkify } from '../links.js';

/** One line of the log. User text is only ever text nodes and checked links, never HTML. */
export function Message({ entry, me, now }: { entry: Entry; me: string | undefined; now: Date }) {
  const time = <time dateTime={entry.at.toISOString()}>{timeLabel(entry.at, now)}</time>;
  if (entry.kind !== 'message') {
    return <li class={entry.kind}>{time} <span class="text">{entry.text}</span></li>;
  }
  const whisper = entry.to !== ALL && !isRoomName(entry.to); // a room's messages show as the lobby's, in its own log
  const classes = [entry.own && 'own', whisper && 'whisper', entry.mention && 'mention', entry.action && 'action'];
  const from = entry.own && !entry.action ? 'You' : entry.from; // "* alice waves", not "* You waves"
  return (
    <li class={classes.filter(Boolean).join(' ') || undefined}>
      {time}{' '}
      {whisper && <><span class="tag">{entry.own ? `whisper to ${entry.to}` : entry.to === me ? 'whisper' : `to ${entry.to}`}</span>{' '}</>}
      <span class="from">{entry.action ? `* ${from}` : from}</span>{' '}
      <span class="text"><Linked text={entry.text} /></span>
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
