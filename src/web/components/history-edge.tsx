import type { Edge } from '../conversation-log.js';

interface Props {
  edge: Edge;
  /** The log's top (older messages) or its bottom (newer ones, in a log opened in the past). */
  side: 'older' | 'newer';
  retry: () => void;
}

/**
 * A quiet line at an edge of the log about the history beyond it (docs/protocol.md §11): a page on
 * its way, a page that failed (with a way to ask again), or, at the top, the beginning of the
 * conversation. Nothing while there is more to load: scrolling there loads it.
 */
export function HistoryEdge({ edge, side, retry }: Props) {
  const what = side === 'older' ? 'earlier' : 'later';
  switch (edge.kind) {
    case 'loading':
      return <li class="edge" aria-busy="true">Loading {what} messages…</li>;
    case 'failed':
      return (
        <li class="edge error">
          Could not load {what} messages: {edge.why}{' '}
          <button type="button" class="link" onClick={retry}>Try again</button>
        </li>
      );
    case 'end':
      return side === 'older' ? <li class="edge" id="log-beginning">This is the beginning of the conversation.</li> : null;
    case 'more':
      return null;
  }
}
