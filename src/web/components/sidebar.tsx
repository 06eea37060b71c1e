import { useEffect, useRef } from 'preact/hooks';
import { ALL } from '../../protocol/index.js';
import type { PageChat } from '../chat.js';
import { ConversationItem } from './conversation-item.js';
import { People } from './people.js';
import { RoomList } from './room-list.js';

export interface SidebarProps {
  chat: PageChat;
  /** On narrow screens the sidebar is a drawer: open or not. */
  open: boolean;
  /** Closes the drawer, focusing the button that opened it or the text box. */
  close: (focus: 'sidebar-toggle' | 'text') => void;
  showProfile: (name: string) => void;
  openRooms: () => void;
}

/**
 * The conversations: the lobby ("Everyone"), the user's rooms and the people online. Picking one
 * shows it and talks there; on a phone the sidebar is a drawer that closes once one is picked.
 */
export function Sidebar({ chat, open, close, showProfile, openRooms }: SidebarProps) {
  const nav = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!open) return;
    nav.current?.querySelector<HTMLElement>('button.who')?.focus();
    // Esc in a dialog opened from the drawer (the rooms', a profile) closes that dialog only
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && !document.querySelector('dialog[open]') && close('sidebar-toggle');
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);
  const pick = (name: string) => {
    chat.select(name);
    close('text'); // the next thing to do is to type
  };
  return (
    <aside id="sidebar" ref={nav} class={open ? 'sidebar open' : 'sidebar'} aria-label="Conversations">
      <ul class="lobby">
        <ConversationItem chat={chat} name={ALL} label="Everyone" ariaLabel="Talk to everyone" unreadWhat="messages to everyone" pick={pick} />
      </ul>
      {chat.roomsOffered && <RoomList chat={chat} pick={pick} openRooms={openRooms} />}
      <People chat={chat} pick={pick} showProfile={showProfile} />
    </aside>
  );
}
