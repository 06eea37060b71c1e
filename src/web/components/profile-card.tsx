import { useEffect, useState } from 'preact/hooks';
import type { ExtensionFields } from '../../protocol/index.js';
import type { Outcome, PageChat } from '../chat.js';
import { Dialog } from './dialog.js';
import { STATUSES } from './settings.js';

/** Someone's profile, looked up when opened (WHOIS, docs/protocol.md §10.3): who they are, whether online, their status and about, the rooms both are in. */
export function ProfileCard({ chat, name, close }: { chat: PageChat; name: string; close: () => void }) {
  const [found, setFound] = useState<Outcome<ExtensionFields> | undefined>(undefined);
  useEffect(() => {
    void chat.whois(name).then(setFound);
  }, [name]);
  return (
    <Dialog id="profile-card" title={found?.ok ? found.value.name ?? name : name} onClose={close}>
      {found === undefined && <p class="muted">Looking {name} up…</p>}
      {found?.ok === false && <p class="error" role="alert">{found.error}</p>}
      {found?.ok && <ProfileFacts who={found.value} />}
    </Dialog>
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
