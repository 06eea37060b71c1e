import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Entry } from '../chat.js';
import { Message } from './message.js';

/** How close to the bottom (px) still counts as "reading the latest". */
const AT_BOTTOM_PX = 40;

/**
 * The message log. It scrolls inside the page, follows new messages only while the reader is at
 * the bottom, and otherwise offers a button to jump down.
 */
export function Log({ entries, me }: { entries: readonly Entry[]; me: string | undefined }) {
  const list = useRef<HTMLOListElement>(null);
  /** Whether the reader was at the latest when they last scrolled. */
  const following = useRef(true);
  const [behind, setBehind] = useState(false);
  const toBottom = () => {
    const el = list.current!;
    el.scrollTop = el.scrollHeight;
  };
  useLayoutEffect(() => {
    if (following.current) toBottom();
    else setBehind(true);
  }, [entries]);
  useEffect(() => {
    // the keyboard opening, the window or the text box resizing: stay at the latest if there before
    const observer = new ResizeObserver(() => following.current && toBottom());
    observer.observe(list.current!);
    return () => observer.disconnect();
  }, []);
  const onScroll = () => {
    const el = list.current!;
    following.current = el.scrollHeight - el.scrollTop - el.clientHeight < AT_BOTTOM_PX;
    if (following.current) setBehind(false);
  };
  const now = new Date();
  return (
    <>
      <ol id="log" class="log" ref={list} onScroll={onScroll} role="log" aria-label="Messages" tabIndex={0}>
        {entries.map((e) => <Message key={e.id} entry={e} me={me} now={now} />)}
      </ol>
      {behind && (
        <button id="jump" class="jump" type="button" onClick={() => { toBottom(); setBehind(false); }}>
          New messages ↓
        </button>
      )}
    </>
  );
}
