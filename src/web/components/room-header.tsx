import { useEffect, useRef, useState } from 'preact/hooks';
import type { RoomInfo } from '../../client/index.js';
import type { PageChat } from '../chat.js';
import { membersCount } from '../room-words.js';
import type { OpenDialog } from './app.js';
import { Topic } from './topic.js';

/**
 * The head of a room's conversation (docs/protocol.md §10.4): its name, whether private, its topic
 * (edited in place by its owner and operators), how many members (the members panel), and a menu.
 */
export function RoomHeader({ chat, name, openDialog }: { chat: PageChat; name: string; openDialog: OpenDialog }) {
  const room = chat.room(name);
  if (!room) {
    return (
      <header class="conversation-top">
        <h2 id="conversation-title">{name}</h2>
        <p class="topic muted">You are not in this room any more.</p>
      </header>
    );
  }
  const manages = room.role === 'owner' || room.role === 'operator';
  return (
    <header class="conversation-top">
      <div class="title-row">
        <h2 id="conversation-title">{room.name}</h2>
        {room.private && <span class="tag">private</span>}
        <span class="spacer" />
        <button
          id="members-toggle" type="button" class="plain small" aria-haspopup="dialog" aria-label={`Members of ${room.name}: ${membersCount(room.members)}`}
          onClick={() => openDialog({ kind: 'members', room: room.name })}
        >
          {membersCount(room.members)}
        </button>
        <RoomMenu room={room} openDialog={openDialog} />
      </div>
      <Topic key={room.name} chat={chat} room={room} editable={manages} />
    </header>
  );
}

/** The room's menu: its members and settings, and leaving it (or, for its owner, deleting it). Arrows move, Esc closes. */
function RoomMenu({ room, openDialog }: { room: RoomInfo; openDialog: OpenDialog }) {
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector('button')?.focus();
    const outside = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!menu.current?.contains(target) && !toggle.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);
  /** Closes the menu, the focus back on its button (where a dialog it opens returns it). */
  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };
  const choose = (dialog: Parameters<OpenDialog>[0]) => () => {
    close();
    openDialog(dialog);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Tab') return setOpen(false);
    const step = ({ ArrowDown: 1, ArrowUp: -1 } as Record<string, number>)[e.key];
    if (step === undefined && e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation(); // the drawer's Esc is not for this
    if (step === undefined) return close();
    const items = Array.from(menu.current?.querySelectorAll('button') ?? []);
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    items[(at + step + items.length) % items.length]?.focus();
  };
  return (
    <div class="menu-anchor">
      <button
        id="room-menu-toggle" ref={toggle} type="button" class="plain small" aria-haspopup="menu" aria-expanded={open} aria-controls="room-menu"
        aria-label={`More for ${room.name}`} title="More" onClick={() => setOpen(!open)}
      >
        ⋯
      </button>
      {open && (
        <ul id="room-menu" ref={menu} class="menu" role="menu" aria-label={room.name} onKeyDown={onKeyDown}>
          <li role="none">
            <button type="button" role="menuitem" onClick={choose({ kind: 'members', room: room.name })}>Members and settings</button>
          </li>
          <li role="none">
            <button type="button" role="menuitem" onClick={choose({ kind: 'leave', room: room.name })}>
              {room.role === 'owner' ? 'Leave or delete the room…' : 'Leave the room…'}
            </button>
          </li>
        </ul>
      )}
    </div>
  );
}
