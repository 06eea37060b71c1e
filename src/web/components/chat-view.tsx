import { Composer } from './composer.js';
import { Log } from './log.js';
import { People, type PeopleProps } from './people.js';

/** The chat itself: who is online beside (or, on a phone, in a drawer over) the log and the text box. */
export function ChatView({ chat, ...people }: PeopleProps) {
  return (
    <main id="chat" class="chat">
      <People chat={chat} {...people} />
      {people.open && <div class="backdrop" onClick={() => people.close('people-toggle')} />}
      <section class="conversation">
        <Log entries={chat.entries} me={chat.me} />
        <Composer chat={chat} />
      </section>
    </main>
  );
}
