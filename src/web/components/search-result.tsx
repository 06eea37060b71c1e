import type { SearchHit } from '../../client/index.js';
import { actionOf } from '../../client/commands.js';
import { timeLabel } from '../dates.js';
import { conversationLabel, markedPieces } from '../search-words.js';

/** One search hit: where and when it was said, by whom, its text with the words searched for marked; a click opens it in its conversation. */
export function SearchResult({ hit, query, open }: { hit: SearchHit; query: string; open: (hit: SearchHit) => void }) {
  const at = new Date(hit.time);
  const action = actionOf(hit.text);
  const from = hit.own ? 'You' : hit.from;
  return (
    <li data-msg-id={hit.id}>
      <button type="button" class="hit" onClick={() => open(hit)}>
        <span class="hit-top">
          <span class="hit-where">{conversationLabel(hit.conversation)}</span>
          <time dateTime={at.toISOString()} title={at.toLocaleString()}>{timeLabel(at, new Date())}</time>
        </span>
        <span class="hit-text">
          <span class="from">{action === undefined ? from : `* ${hit.from}`}</span>{' '}
          {markedPieces(action ?? hit.text, query).map((piece, i) => (piece.marked ? <mark key={i}>{piece.text}</mark> : piece.text))}
        </span>
      </button>
    </li>
  );
}
