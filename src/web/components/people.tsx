import { nameKey } from '../../protocol/index.js';
import type { PageChat } from '../chat.js';
import { ConversationItem } from './conversation-item.js';

interface Props {
  chat: PageChat;
  pick: (name: string) => void;
  /** Opens someone's profile card. */
  showProfile: (name: string) => void;
}

/** Who is online (the lobby's presence, docs/protocol.md §5.3), and who of them is away or busy (§10.3): pick one to whisper to them. */
export function People({ chat, pick, showProfile }: Props) {
  const online = chat.users.length > 0;
  return (
    <section class="sidebar-part" aria-labelledby="people-title">
      <h2 id="people-title">People <span id="count">{online ? `(${chat.users.length})` : ''}</span></h2>
      {!online && <p class="muted">Offline: the list comes back when you are connected again.</p>}
      <ul id="users" class="people">
        {chat.users.map((name) => <Person key={name} chat={chat} name={name} pick={pick} showProfile={showProfile} />)}
      </ul>
    </section>
  );
}

function Person({ chat, name, pick, showProfile }: { name: string } & Props) {
  const me = chat.me !== undefined && nameKey(name) === nameKey(chat.me);
  const profile = chat.accountsOffered && (
    <button type="button" class="info" aria-label={me ? 'Your profile' : `Profile of ${name}`} title="Profile" onClick={() => showProfile(name)} />
  );
  // away: a hollow dot and dim; busy: a red dot; the label says which, the tooltip why (as Slack shows it)
  const { status, message } = chat.statusOf(name);
  const shown = status === 'available' ? undefined : status;
  const title = shown && (message ? `${shown}: ${message}` : shown);
  const label = (
    <>
      {me ? `${name} (you)` : name}
      {shown && <> <span class="status-label">{shown}</span></>}
      {message && <> <span class="status-message">{message}</span></>}
    </>
  );
  if (me) {
    return (
      <li data-name={name} class={['me', shown].filter(Boolean).join(' ')}>
        <span class="who" title={title}>{label}</span>
        {profile}
      </li>
    );
  }
  return (
    <ConversationItem chat={chat} name={name} label={label} ariaLabel={`Whisper to ${name}`} unreadWhat={`whispers from ${name}`} pick={pick} className={shown} title={title}>
      {profile}
    </ConversationItem>
  );
}
