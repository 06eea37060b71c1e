import type { ComponentChildren } from 'preact';
import { nameKey } from '../../protocol/index.js';
import type { PageChat } from '../chat.js';

interface Props {
  chat: PageChat;
  /** The conversation: ALL, a room's name or a person's. */
  name: string;
  /** What the user reads, and what a screen reader says of the button ("Whisper to bob"). */
  label: ComponentChildren;
  ariaLabel: string;
  /** What its unread messages are called, for the badge's label ("whispers from bob"). */
  unreadWhat: string;
  pick: (name: string) => void;
  /** More buttons on its line (a person's profile). */
  children?: ComponentChildren;
  /** Classes of its line besides `selected` (a person's status). */
  className?: string | undefined;
  /** Its tooltip (a person's status message). */
  title?: string | undefined;
}

/** One conversation in the sidebar: picking it shows it; its badge counts what came while it was not shown. */
export function ConversationItem({ chat, name, label, ariaLabel, unreadWhat, pick, children, className, title }: Props) {
  const selected = nameKey(name) === nameKey(chat.target);
  const unread = chat.unread(name);
  const classes = [selected && 'selected', className].filter(Boolean).join(' ');
  return (
    <li data-name={name} class={classes || undefined}>
      <button type="button" class="who" aria-current={selected ? 'true' : undefined} aria-label={ariaLabel} title={title} onClick={() => pick(name)}>
        {label}
      </button>
      {unread > 0 && (
        <button type="button" class="badge" onClick={(e) => markRead(e, chat, name)} aria-label={`${unread} unread: ${unreadWhat}. Mark as read`}>
          {unread}
        </button>
      )}
      {children}
    </li>
  );
}

/** Clears the badge, and keeps the keyboard focus on the line (the badge button goes away). */
function markRead(e: MouseEvent, chat: PageChat, name: string): void {
  (e.currentTarget as HTMLElement).parentElement?.querySelector<HTMLElement>('.who')?.focus();
  chat.markRead(name);
}
