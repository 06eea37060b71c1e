import type { PageChat } from '../chat.js';
import { Composer } from './composer.js';
import { Log } from './log.js';
import { People } from './people.js';

/** The chat itself: who is online beside (or, on a phone, in a drawer over) the log and the text box. */
export function ChatView({ chat, drawerOpen, closeDrawer }: { chat: PageChat; drawerOpen: boolean; closeDrawer: (focus: 'people-toggle' | 'text') => void }) {
  return (
    <main id="chat" class="chat">
      <People chat={chat} open={drawerOpen} close={closeDrawer} />
      {drawerOpen && <div class="backdrop" onClick={() => closeDrawer('people-toggle')} />}
      <section class="conversation">
        <Log entries={chat.entries} me={chat.me} />
        <Composer chat={chat} />
      </section>
    </main>
  );
}
