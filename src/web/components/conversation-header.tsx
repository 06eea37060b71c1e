import { isRoomName } from '../../client/index.js';
import { ALL, nameKey } from '../../protocol/index.js';
import type { PageChat } from '../chat.js';
import type { OpenDialog } from './app.js';
import { RoomHeader } from './room-header.js';

/** The head of the conversation shown: the lobby, a room (its own head), or the whispers with someone. */
export function ConversationHeader({ chat, openDialog }: { chat: PageChat; openDialog: OpenDialog }) {
  const target = chat.target;
  if (isRoomName(target)) return <RoomHeader chat={chat} name={target} openDialog={openDialog} />;
  const lobby = nameKey(target) === nameKey(ALL);
  return (
    <header class="conversation-top">
      <div class="title-row">
        <h2 id="conversation-title">{lobby ? 'Everyone' : target}</h2>
        {!lobby && chat.accountsOffered && (
          <button type="button" class="info" aria-label={`Profile of ${target}`} title="Profile" onClick={() => openDialog({ kind: 'profile', name: target })} />
        )}
      </div>
      <p class="topic muted">
        {lobby ? 'Everyone online reads what is said here.'
          : chat.targetGone ? `${target} is not online: nothing can be sent to them now.` : `Whispers: only you and ${target} read them.`}
      </p>
    </header>
  );
}
