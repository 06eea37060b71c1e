import { ALL, nameKey } from '../../protocol/index.js';
import type { PageChat } from '../chat.js';
import type { OpenDialog } from './app.js';
import { Composer } from './composer.js';
import { ConversationHeader } from './conversation-header.js';
import { Log } from './log.js';
import { Sidebar } from './sidebar.js';

interface Props {
  chat: PageChat;
  /** On narrow screens the sidebar is a drawer: open or not. */
  open: boolean;
  close: (focus: 'sidebar-toggle' | 'text') => void;
  openDialog: OpenDialog;
}

/** The chat itself: the conversations beside (or, on a phone, in a drawer over) the one shown, its log and the text box. */
export function ChatView({ chat, open, close, openDialog }: Props) {
  return (
    <main id="chat" class="chat">
      <Sidebar
        chat={chat} open={open} close={close}
        showProfile={(name) => openDialog({ kind: 'profile', name })} openRooms={() => openDialog({ kind: 'rooms' })}
      />
      {open && <div class="backdrop" onClick={() => close('sidebar-toggle')} />}
      <section class="conversation" aria-labelledby="conversation-title">
        <ConversationHeader chat={chat} openDialog={openDialog} />
        {chat.notice !== undefined && nameKey(chat.target) === nameKey(ALL) && (
          <aside class="motd" aria-label="Message of the day"><p>{chat.notice}</p></aside>
        )}
        {/* a log of its own per conversation: each starts at its latest line */}
        <Log key={nameKey(chat.target)} chat={chat} conversation={chat.target} askDelete={(entry) => openDialog({ kind: 'delete-message', entry })}
          askReport={(entry) => openDialog({ kind: 'report-message', entry })}
        />
        <Composer chat={chat} />
      </section>
    </main>
  );
}
