import { isRoomName } from '../client/index.js';
import { ALL } from '../protocol/index.js';
import type { PageChat } from './chat.js';

/**
 * Getting the user's attention while they are elsewhere: the tab's title counts the messages that
 * came while it was hidden, and a mention of their name or a whisper to them pops up a browser
 * notification (when they allowed it).
 */
export function watchAttention(chat: PageChat): void {
  let unseen = 0;
  const hidden = () => document.visibilityState === 'hidden';
  const showTitle = () => {
    const base = chat.me ? `Howdy: ${chat.me}` : 'Howdy';
    document.title = unseen > 0 ? `(${unseen}) ${base}` : base;
  };
  chat.on('change', showTitle);
  chat.setTabVisible(!hidden());
  document.addEventListener('visibilitychange', () => {
    chat.setTabVisible(!hidden()); // what comes while the tab is hidden is new: the log's divider
    if (hidden()) return;
    unseen = 0;
    showTitle();
  });
  chat.on('incoming', (m) => {
    if (!hidden()) return;
    unseen++;
    showTitle();
    const whisper = m.to !== ALL && !isRoomName(m.to);
    const where = isRoomName(m.to) ? ` in ${m.to}` : '';
    if (whisper || m.mention) notify(whisper ? `${m.from} whispers` : `${m.from} mentioned you${where}`, m.action ? `* ${m.from} ${m.text}` : m.text);
  });
}

/** Asks for permission to notify; browsers allow asking only on a click or a key press. */
export function askToNotify(): void {
  if ('Notification' in window && Notification.permission === 'default') void Notification.requestPermission();
}

function notify(title: string, body: string): void {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  const n = new Notification(title, { body, tag: 'howdy' });
  n.onclick = () => {
    window.focus();
    n.close();
  };
}
