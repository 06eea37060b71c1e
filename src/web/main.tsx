import { render } from 'preact';
import { watchAttention } from './attention.js';
import { PageChat } from './chat.js';
import { App } from './components/app.js';
import { applySavedTheme } from './theme.js';

applySavedTheme();

// The page talks to the server (or the `howdy gui` bridge) that served it.
const token = new URLSearchParams(location.search).get('token');
const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/hcp${token ? `?token=${encodeURIComponent(token)}` : ''}`;
const chat = new PageChat(wsUrl, location.host);

/** The server's address: this page's host, or the server `howdy gui` relays to (its /healthz says). */
void fetch('/healthz')
  .then((r) => r.json() as Promise<{ server?: string }>)
  .then((health) => health.server && chat.setServerName(health.server))
  .catch(() => {});

watchAttention(chat);
render(<App chat={chat} />, document.getElementById('app')!);
void chat.start();
