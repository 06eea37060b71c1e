import { useEffect, useRef } from 'preact/hooks';
import { ALL, nameKey } from '../../protocol/index.js';
import type { PageChat } from '../chat.js';

export interface PeopleProps {
  chat: PageChat;
  /** On narrow screens the list is a drawer: open or not. */
  open: boolean;
  /** Closes the drawer, focusing the button that opened it or the text box. */
  close: (focus: 'people-toggle' | 'text') => void;
  /** Opens someone's profile card. */
  showProfile: (name: string) => void;
}

/** Who is online: pick one to whisper to (or Everyone), and clear unread badges. */
export function People({ chat, open, close, showProfile }: PeopleProps) {
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (!open) return;
    list.current?.querySelector('button')?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close('people-toggle');
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);
  const online = chat.users.length > 0;
  const pick = (name: string) => {
    chat.select(name);
    close('text'); // the next thing to do is to type
  };
  return (
    <aside id="people" class={open ? 'users open' : 'users'} aria-label="People online">
      <h2>Online <span id="count">{online ? `(${chat.users.length})` : ''}</span></h2>
      {!online && <p class="muted">Offline: the list comes back when you are connected again.</p>}
      <ul id="users" ref={list}>
        {online && [ALL, ...chat.users].map((name) => (
          <Person key={name} chat={chat} name={name} pick={pick} showProfile={showProfile} />
        ))}
      </ul>
    </aside>
  );
}

function Person({ chat, name, pick, showProfile }: { chat: PageChat; name: string; pick: (name: string) => void; showProfile: (name: string) => void }) {
  const me = chat.me !== undefined && nameKey(name) === nameKey(chat.me);
  const selected = nameKey(name) === nameKey(chat.target);
  const unread = chat.unread.get(name) ?? 0;
  const label = name === ALL ? 'Everyone (All)' : name;
  return (
    <li data-name={name} class={[me && 'me', selected && 'selected'].filter(Boolean).join(' ') || undefined}>
      {me ? (
        <span class="who">{label} (you)</span>
      ) : (
        <button type="button" class="who" aria-pressed={selected}
          aria-label={name === ALL ? 'Talk to everyone' : `Whisper to ${name}`} onClick={() => pick(name)}>
          {label}
        </button>
      )}
      {unread > 0 && (
        <button type="button" class="badge" onClick={(e) => markRead(e, chat, name)}
          aria-label={`${unread} unread whisper${unread > 1 ? 's' : ''} from ${name}: mark as read`}>
          {unread}
        </button>
      )}
      {name !== ALL && chat.accountsOffered && (
        <button type="button" class="info" aria-label={me ? 'Your profile' : `Profile of ${name}`} title="Profile" onClick={() => showProfile(name)} />
      )}
    </li>
  );
}

/** Clears the badge, and keeps the keyboard focus in the list (the badge button goes away). */
function markRead(e: MouseEvent, chat: PageChat, name: string): void {
  (e.currentTarget as HTMLElement).parentElement?.querySelector<HTMLElement>('.who')?.focus();
  chat.markRead(name);
}
