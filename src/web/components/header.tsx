import { useState } from 'preact/hooks';
import type { PageChat } from '../chat.js';
import { statusText } from '../status.js';
import { currentTheme, toggleTheme } from '../theme.js';
import { SearchIcon } from './icons.js';

interface Props {
  chat: PageChat;
  /** Shown in the chat only: the button that opens the sidebar's drawer (rooms and people) on narrow screens. */
  drawer?: { open: boolean; toggle: () => void } | undefined;
  /** Shown in the chat only: opens the user's settings (profile, password, keeping the name). */
  openSettings?: (() => void) | undefined;
  /** Shown in the chat on a server that keeps history: opens the search (also Ctrl+K). */
  openSearch?: (() => void) | undefined;
  /** Shown to staff only (an admin or a moderator, §10.6): opens the Moderation panel. */
  openModeration?: (() => void) | undefined;
}

export function Header({ chat, drawer, openSettings, openSearch, openModeration }: Props) {
  const [theme, setTheme] = useState(currentTheme);
  const bad = chat.state.kind === 'disconnected' || chat.state.kind === 'removed';
  const unread = chat.unreadTotal;
  return (
    <header class="top">
      {drawer && (
        <button
          id="sidebar-toggle" type="button" class="plain" aria-controls="sidebar" aria-expanded={drawer.open}
          aria-label={unread > 0 ? `Rooms and people: ${unread} unread` : 'Rooms and people'} onClick={drawer.toggle}
        >
          ☰{unread > 0 && <span class="badge">{unread}</span>}
        </button>
      )}
      <h1>Howdy</h1>
      <span id="status" class={bad ? 'bad' : undefined} role="status" aria-live="polite">
        {statusText(chat.state, chat.serverName, chat.left)}
      </span>
      <span class="spacer" />
      {openSearch && (
        <button
          id="search-toggle" type="button" class="plain" aria-haspopup="dialog" aria-keyshortcuts="Control+K"
          aria-label="Search messages (Ctrl+K)" title="Search messages (Ctrl+K)" onClick={openSearch}
        >
          <SearchIcon />
        </button>
      )}
      {openModeration && (
        <button id="moderation-toggle" type="button" class="plain" aria-haspopup="dialog" onClick={openModeration}>
          Moderation
        </button>
      )}
      <button
        id="theme" type="button" class="plain"
        aria-label={theme === 'dark' ? 'Switch to the light theme' : 'Switch to the dark theme'}
        onClick={() => setTheme(toggleTheme())}
      >
        {theme === 'dark' ? '☀' : '☾'}
      </button>
      {openSettings && (
        <button id="settings-toggle" type="button" class="plain" aria-haspopup="dialog" aria-label="Settings: your profile and password" onClick={openSettings}>
          ⚙
        </button>
      )}
    </header>
  );
}
