import { useState } from 'preact/hooks';
import type { PageChat } from '../chat.js';
import { useChat } from '../use-chat.js';
import { ChatView } from './chat-view.js';
import { Header } from './header.js';
import { Login } from './login.js';

export function App({ chat }: { chat: PageChat }) {
  useChat(chat);
  const [drawerOpen, setDrawerOpen] = useState(false);
  /** Closes the people drawer, putting the keyboard focus where the user goes next. */
  const closeDrawer = (focus: 'people-toggle' | 'text') => {
    setDrawerOpen(false);
    document.getElementById(focus)?.focus();
  };
  const inChat = chat.me !== undefined;
  return (
    <>
      <Header chat={chat} people={inChat ? { open: drawerOpen, toggle: () => setDrawerOpen(!drawerOpen) } : undefined} />
      {inChat ? <ChatView chat={chat} drawerOpen={drawerOpen} closeDrawer={closeDrawer} /> : <Login chat={chat} />}
    </>
  );
}
