import { nameKey } from '../../protocol/index.js';
import type { PageChat } from '../chat.js';
import { ConversationItem } from './conversation-item.js';

interface Props {
  chat: PageChat;
  pick: (name: string) => void;
  /** Opens the dialog to find, join or create a room. */
  openRooms: () => void;
}

/** The rooms the user is in (docs/protocol.md §10.4), by name, and the way to more. */
export function RoomList({ chat, pick, openRooms }: Props) {
  const rooms = [...chat.rooms].sort((a, b) => nameKey(a.name).localeCompare(nameKey(b.name)));
  return (
    <section class="sidebar-part" aria-labelledby="rooms-title">
      <div class="part-top">
        <h2 id="rooms-title">Rooms</h2>
        <button id="rooms-add" type="button" class="plain add" aria-haspopup="dialog" aria-label="Find, join or create a room" title="Find, join or create a room" onClick={openRooms}>
          +
        </button>
      </div>
      {rooms.length === 0 && <p class="muted">You are in no room yet: the + finds one, or creates one.</p>}
      <ul id="rooms" class="rooms">
        {rooms.map((room) => (
          <ConversationItem
            key={room.name} chat={chat} name={room.name} ariaLabel={`Room ${room.name}${room.private ? ', private' : ''}`}
            label={<>{room.name}{room.private && <span class="tag">private</span>}</>} unreadWhat={`messages in ${room.name}`} pick={pick}
          />
        ))}
      </ul>
    </section>
  );
}
