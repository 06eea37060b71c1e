import { useState } from 'preact/hooks';
import type { PageChat } from '../chat.js';
import { useChat } from '../use-chat.js';
import { ChatView } from './chat-view.js';
import { Header } from './header.js';
import { Login } from './login.js';
import { ProfileCard } from './profile-card.js';
import { Settings } from './settings.js';

/** The dialog open over the chat, if any. */
type Open = { kind: 'settings' } | { kind: 'profile'; name: string } | undefined;

export function App({ chat }: { chat: PageChat }) {
  useChat(chat);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [open, setOpen] = useState<Open>(undefined);
  /** Closes the people drawer, putting the keyboard focus where the user goes next. */
  const closeDrawer = (focus: 'people-toggle' | 'text') => {
    setDrawerOpen(false);
    document.getElementById(focus)?.focus();
  };
  const inChat = chat.me !== undefined;
  const close = () => setOpen(undefined);
  return (
    <>
      <Header
        chat={chat} people={inChat ? { open: drawerOpen, toggle: () => setDrawerOpen(!drawerOpen) } : undefined}
        openSettings={inChat ? () => setOpen({ kind: 'settings' }) : undefined}
      />
      {inChat
        ? <ChatView chat={chat} open={drawerOpen} close={closeDrawer} showProfile={(name) => setOpen({ kind: 'profile', name })} />
        : <Login chat={chat} />}
      {inChat && open?.kind === 'settings' && <Settings chat={chat} close={close} />}
      {inChat && open?.kind === 'profile' && <ProfileCard chat={chat} name={open.name} close={close} />}
    </>
  );
}
