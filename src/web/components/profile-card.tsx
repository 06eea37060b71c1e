import { useEffect, useState } from 'preact/hooks';
import { nameKey, type ExtensionFields } from '../../protocol/index.js';
import type { Outcome, PageChat } from '../chat.js';
import { Dialog } from './dialog.js';
import { STATUSES } from './settings.js';

/**
 * Someone's profile, looked up when opened (WHOIS, docs/protocol.md §10.3): who they are, whether
 * online, their status and about, the rooms both are in; and Block or Unblock them (§10.7).
 */
export function ProfileCard({ chat, name, close }: { chat: PageChat; name: string; close: () => void }) {
  const [found, setFound] = useState<Outcome<ExtensionFields> | undefined>(undefined);
  useEffect(() => {
    void chat.whois(name).then(setFound);
  }, [name]);
  const shown = found?.ok ? found.value.name ?? name : name;
  return (
    <Dialog id="profile-card" title={shown} onClose={close}>
      {found === undefined && <p class="muted">Looking {name} up…</p>}
      {found?.ok === false && <p class="error" role="alert">{found.error}</p>}
      {found?.ok && <ProfileFacts who={found.value} />}
      {found?.ok && nameKey(shown) !== nameKey(chat.me ?? '') && <BlockButton chat={chat} name={shown} />}
    </Dialog>
  );
}

/** Block or Unblock: whether the user blocks `name` is asked when the card opens (BLOCKS). */
function BlockButton({ chat, name }: { chat: PageChat; name: string }) {
  const [blocked, setBlocked] = useState<boolean | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    void chat.blocks().then((o) => o.ok && setBlocked(o.value.some((b) => nameKey(b.name) === nameKey(name))));
  }, [name]);
  const toggle = async () => {
    const outcome = blocked ? await chat.unblock(name) : await chat.block(name);
    if (outcome.ok) setBlocked(!blocked);
    setError(outcome.ok ? '' : outcome.error);
  };
  if (blocked === undefined) return null;
  return (
    <div class="section">
      <p class="muted" id="block-note">{blocked ? `You block ${name}: their messages do not reach you.` : `Blocking ${name} hides their messages from you; they are not told.`}</p>
      <button type="button" id="block-toggle" onClick={() => void toggle()}>{blocked ? `Unblock ${name}` : `Block ${name}`}</button>
      {error && <p class="error" role="alert">{error}</p>}
    </div>
  );
}

function ProfileFacts({ who }: { who: ExtensionFields }) {
  const status = STATUSES.find(([value]) => value === who.status)?.[1];
  return (
    <dl class="facts">
      {who.displayName && who.displayName !== who.name && <Fact term="Display name" id="fact-display-name">{who.displayName}</Fact>}
      <Fact term="Online" id="fact-online">{who.online ? 'Online now' : 'Not online'}</Fact>
      <Fact term="Account" id="fact-registered">{who.registered ? 'Registered name' : 'Guest: the name is not registered'}</Fact>
      {status && <Fact term="Status" id="fact-status">{who.statusMessage ? `${status}: ${who.statusMessage}` : status}</Fact>}
      {who.about && <Fact term="About" id="fact-about">{who.about}</Fact>}
      {who.commonRoom && who.commonRoom.length > 0 && <Fact term="Rooms in common" id="fact-rooms">{who.commonRoom.join(', ')}</Fact>}
    </dl>
  );
}

function Fact({ term, id, children }: { term: string; id: string; children: string }) {
  return (
    <div class="fact">
      <dt>{term}</dt>
      <dd id={id}>{children}</dd>
    </div>
  );
}
