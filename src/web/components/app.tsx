import { useEffect, useRef, useState } from 'preact/hooks';
import type { PageChat } from '../chat.js';
import { useChat } from '../use-chat.js';
import type { MessageEntry } from '../entries.js';
import { ChatView } from './chat-view.js';
import { DeleteMessage } from './delete-message.js';
import { ReportMessage } from './report-message.js';
import { Header } from './header.js';
import { LeaveRoom } from './leave-room.js';
import { Login } from './login.js';
import { MembersPanel } from './members-panel.js';
import { ModerationPanel } from './moderation-panel.js';
import { ProfileCard } from './profile-card.js';
import { RoomsDialog } from './rooms-dialog.js';
import { SearchDialog } from './search-dialog.js';
import { Settings } from './settings.js';

/** The dialog open over the chat, if any. */
export type Open =
  | { kind: 'settings' }
  | { kind: 'profile'; name: string }
  | { kind: 'rooms' }
  | { kind: 'members'; room: string }
  | { kind: 'leave'; room: string }
  | { kind: 'delete-message'; entry: MessageEntry }
  | { kind: 'report-message'; entry: MessageEntry; reason?: string }
  | { kind: 'search'; query?: string }
  | { kind: 'moderation' };

export type OpenDialog = (dialog: Open) => void;

export function App({ chat }: { chat: PageChat }) {
  useChat(chat);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [open, setOpen] = useState<Open | undefined>(undefined);
  /** Where the keyboard goes once the dialog is closed, when not back to the button that opened it. */
  const focusAfter = useRef<string | undefined>(undefined);
  /** Closes the sidebar's drawer, putting the keyboard focus where the user goes next. */
  const closeDrawer = (focus: 'sidebar-toggle' | 'text') => {
    setDrawerOpen(false);
    document.getElementById(focus)?.focus();
  };
  /** Closes the dialog; `then`: a conversation was entered or left, so the drawer closes too and the text box is next. */
  const close = (then?: 'text') => {
    setOpen(undefined);
    if (then) setDrawerOpen(false);
    focusAfter.current = then;
  };
  const inChat = chat.me !== undefined;
  useEffect(() => chat.on('dialog', setOpen), [chat]);
  useEffect(() => {
    if (!inChat || !chat.historyOffered) return;
    // Ctrl+K (⌘K), or / outside a text field: the search, as in Slack and Zulip
    const onKey = (e: KeyboardEvent) => {
      if (document.querySelector('dialog[open]')) return; // one dialog at a time
      const typing = e.target instanceof HTMLElement && e.target.closest('input, textarea, [contenteditable]');
      if (((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') || (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey)) {
        e.preventDefault();
        setOpen({ kind: 'search' });
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [inChat, chat.historyOffered]);
  useEffect(() => {
    if (open || !focusAfter.current) return;
    document.getElementById(focusAfter.current)?.focus();
    focusAfter.current = undefined;
  }, [open]);
  return (
    <>
      <Header
        chat={chat} drawer={inChat ? { open: drawerOpen, toggle: () => setDrawerOpen(!drawerOpen) } : undefined}
        openSettings={inChat ? () => setOpen({ kind: 'settings' }) : undefined}
        openSearch={inChat && chat.historyOffered ? () => setOpen({ kind: 'search' }) : undefined}
        openModeration={inChat && chat.staffRole ? () => setOpen({ kind: 'moderation' }) : undefined}
      />
      {inChat
        ? <ChatView chat={chat} open={drawerOpen} close={closeDrawer} openDialog={setOpen} />
        : <Login chat={chat} />}
      {inChat && open && <OpenDialogView chat={chat} open={open} close={close} openDialog={setOpen} />}
    </>
  );
}

function OpenDialogView({ chat, open, close, openDialog }: { chat: PageChat; open: Open; close: (then?: 'text') => void; openDialog: OpenDialog }) {
  switch (open.kind) {
    case 'settings':
      return <Settings chat={chat} close={close} />;
    case 'profile':
      return <ProfileCard chat={chat} name={open.name} close={close} />;
    case 'rooms':
      return <RoomsDialog chat={chat} close={close} />;
    case 'members':
      return <MembersPanel key={open.room} chat={chat} room={open.room} close={close} />;
    case 'leave':
      return <LeaveRoom chat={chat} room={open.room} close={close} openDialog={openDialog} />;
    case 'search':
      return <SearchDialog chat={chat} query={open.query} close={close} />;
    case 'delete-message':
      return <DeleteMessage chat={chat} entry={open.entry} close={close} />;
    case 'report-message':
      return <ReportMessage chat={chat} entry={open.entry} reason={open.reason} close={close} />;
    case 'moderation':
      return <ModerationPanel chat={chat} close={close} />;
  }
}
