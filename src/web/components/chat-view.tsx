import type { PageChat } from '../chat.js';
import { Composer } from './composer.js';
import { Log } from './log.js';
import { People } from './people.js';

/** The chat itself: who is online beside (or, on a phone, in a drawer over) the log and the text box. */
interface Props {
  chat: PageChat;
  drawerOpen: boolean;
  closeDrawer: (focus: 'people-toggle' | 'text') => void;
  showProfile: (name: string) => void;
}

export function ChatView({ chat, drawerOpen, closeDrawer, showProfile }: Props) {
  return (
    <main id="chat" class="chat">
      <People chat={chat} open={drawerOpen} close={closeDrawer} showProfile={showProfile} />
      {drawerOpen && <div class="backdrop" onClick={() => closeDrawer('people-toggle')} />}
      <section class="conversation">
        <Log entries={chat.entries} me={chat.me} />
        <Composer chat={chat} />
      </section>
    </main>
  );
}
