import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { nameKey } from '../../protocol/index.js';
import type { PageChat } from '../chat.js';
import type { MessageEntry } from '../entries.js';
import { HistoryEdge } from './history-edge.js';
import { Message } from './message.js';

/** How close to the bottom (px) still counts as "reading the latest". */
const AT_BOTTOM_PX = 40;
/** How close to an edge (px) the reader comes before the next page of history is asked for. */
const NEAR_EDGE_PX = 300;

interface Props {
  chat: PageChat;
  /** The conversation whose log this is: the lobby, a room, a person. */
  conversation: string;
  /** Asks the user whether to delete one of their messages. */
  askDelete: (entry: MessageEntry) => void;
  askReport: (entry: MessageEntry) => void;
}

/**
 * The message log of a conversation. It scrolls inside the page, follows new messages only while
 * the reader is at the bottom, and otherwise offers a button to jump down. Scrolled to the top, it
 * loads older messages (docs/protocol.md §11), keeping the reader's place; opened with messages
 * that came while the user was away, it shows them from the "New messages" line; opened at a
 * search hit, it shows that message in the middle, picked out for a moment.
 */
export function Log({ chat, conversation, askDelete, askReport }: Props) {
  const log = chat.log(conversation);
  const { entries, older, newer, divider } = log;
  const list = useRef<HTMLOListElement>(null);
  /** Whether the reader was at the latest when they last scrolled. */
  const following = useRef(true);
  /** The log as last drawn: its last line, its height, where it was scrolled to and the line at the top of its view. */
  const drawn = useRef<{ last: string; height: number; top: number; anchor: Anchor | undefined }>({ last: '', height: 0, top: 0, anchor: undefined });
  /** The divider and the search hit the log was last scrolled to. */
  const scrolledTo = useRef({ divider: '', highlight: 0 });
  /** New lines came below while the reader was up the log. */
  const [behind, setBehind] = useState(false);
  const [atBottom, setAtBottom] = useState(true);
  const highlight = chat.highlight && nameKey(chat.highlight.conversation) === nameKey(conversation) ? chat.highlight : undefined;
  const joined = chat.state.kind === 'joined';

  const toBottom = () => {
    const el = list.current!;
    el.scrollTop = el.scrollHeight;
  };
  /** Asks for the next page where the reader is near an edge with more beyond it. */
  const loadNearEdges = () => {
    const el = list.current!;
    if (!chat.historyOffered || !joined) return;
    if (older.kind === 'more' && el.scrollTop < NEAR_EDGE_PX) void chat.history.loadOlder(conversation);
    if (newer.kind === 'more' && el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_EDGE_PX) void chat.history.loadNewer(conversation);
  };
  useLayoutEffect(() => {
    const el = list.current!;
    const before = drawn.current;
    // scrolled since, and told after this drawing (a scroll event comes with the next frame): the place read is where it was scrolled to
    const scrolled = el.scrollTop !== before.top;
    if (scrolled) following.current = before.height - el.scrollTop - el.clientHeight < AT_BOTTOM_PX;
    const last = entries.at(-1)?.key ?? '';
    const hit = highlight && highlight.n !== scrolledTo.current.highlight && el.querySelector(`[data-msg-id="${highlight.id}"]`);
    const newLine = divider !== undefined && divider !== scrolledTo.current.divider && el.querySelector<HTMLElement>('.divider');
    if (hit) {
      scrolledTo.current = { divider: divider ?? '', highlight: highlight.n };
      hit.scrollIntoView({ block: 'center' });
      following.current = false;
    } else if (newLine) {
      // what came while the user was away, from its first line when it is more than a screen
      scrolledTo.current.divider = divider;
      following.current = el.scrollHeight - newLine.offsetTop <= el.clientHeight;
      el.scrollTop = following.current ? el.scrollHeight : newLine.offsetTop;
    } else if (following.current) {
      toBottom();
    } else {
      if (!scrolled) keepInView(el, before.anchor); // older lines came above (or a line about them): the line read stays where it was
      if (last !== before.last) setBehind(true);
    }
    drawn.current = { last, height: el.scrollHeight, top: el.scrollTop, anchor: anchorOf(el) };
    setAtBottom(el.scrollHeight - el.scrollTop - el.clientHeight < AT_BOTTOM_PX);
    loadNearEdges();
  }, [entries, highlight, joined, older.kind, newer.kind]);
  useEffect(() => {
    // the keyboard opening, the window or the text box resizing: stay at the latest if there before
    const observer = new ResizeObserver(() => following.current && toBottom());
    observer.observe(list.current!);
    return () => observer.disconnect();
  }, []);
  const onScroll = () => {
    const el = list.current!;
    following.current = el.scrollHeight - el.scrollTop - el.clientHeight < AT_BOTTOM_PX;
    drawn.current = { ...drawn.current, top: el.scrollTop, anchor: anchorOf(el) };
    setAtBottom(following.current);
    if (following.current) setBehind(false);
    loadNearEdges();
  };
  const jumpToNewest = () => {
    if (newer.kind !== 'end') void chat.history.showNewest(conversation);
    following.current = true;
    toBottom();
    setBehind(false);
  };
  const now = new Date();
  const retry = (side: 'older' | 'newer') => () => void chat.history.retry(conversation, side);
  return (
    <>
      <ol id="log" class="log" ref={list} onScroll={onScroll} role="log" aria-label="Messages" tabIndex={0}>
        {chat.historyOffered && <HistoryEdge edge={older} side="older" retry={retry('older')} />}
        {entries.flatMap((e) => [
          ...(e.key === divider ? [<li key="divider" class="divider" role="separator"><span>New messages</span></li>] : []),
          <Message
            key={e.key} entry={e} me={chat.me} now={now} highlighted={e.kind === 'message' && e.msgId === highlight?.id}
            askDelete={chat.historyOffered ? askDelete : undefined} anyone={chat.staffRole !== undefined}
            askReport={chat.historyOffered ? askReport : undefined}
          />,
        ])}
        {chat.historyOffered && <HistoryEdge edge={newer} side="newer" retry={retry('newer')} />}
      </ol>
      {(!atBottom || newer.kind !== 'end') && (
        <button id="jump" class="jump" type="button" onClick={jumpToNewest}>
          {behind ? 'New messages ↓' : 'Jump to newest ↓'}
        </button>
      )}
    </>
  );
}

/** A line of the log where the reader's view begins: its key, and how far below the log's top it stands. */
interface Anchor {
  key: string;
  offset: number;
}

function anchorOf(log: HTMLElement): Anchor | undefined {
  const top = log.getBoundingClientRect().top;
  const lines = log.querySelectorAll<HTMLElement>('li[data-key]');
  // the first line whose bottom is below the log's top: lines stand in order, so halving finds it
  let [low, high] = [0, lines.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (lines[middle]!.getBoundingClientRect().bottom > top) high = middle;
    else low = middle + 1;
  }
  const line = lines[low];
  return line && { key: line.dataset.key!, offset: line.getBoundingClientRect().top - top };
}

/** Scrolls the log so that the anchor's line stands where it stood. */
function keepInView(log: HTMLElement, anchor: Anchor | undefined): void {
  const line = anchor && log.querySelector(`li[data-key="${anchor.key}"]`);
  if (line) log.scrollTop += line.getBoundingClientRect().top - log.getBoundingClientRect().top - anchor.offset;
}
