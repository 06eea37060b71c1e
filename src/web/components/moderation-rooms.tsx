import { useEffect, useState } from 'preact/hooks';
import type { RoomInfo } from '../../client/rooms.js';
import { ROOM_PREFIX } from '../../protocol/index.js';
import type { Outcome, PageChat } from '../chat.js';
import { FormNote, useOutcome } from './form-outcome.js';

type RoomAction = 'close' | 'takeover';

/**
 * The Moderation panel's Rooms, for admins (MOD_ROOM, docs/protocol.md §10.6): the rooms ROOM_LIST
 * shows them, each with Take over and Close (asked once more: it deletes the room for its members
 * too), and a room typed by name, for a private one the list does not show.
 */
export function ModerationRooms({ chat }: { chat: PageChat }) {
  const [listed, setListed] = useState<Outcome<RoomInfo[]> | undefined>(undefined);
  const reload = () => void chat.roomRequests.list().then(setListed);
  useEffect(reload, []);
  return (
    <>
      <TypedRoom chat={chat} acted={reload} />
      {listed === undefined ? <p class="muted">Looking up the rooms…</p>
        : !listed.ok ? <p class="error" role="alert">{listed.error}</p>
          : listed.value.length === 0 ? <p id="no-mod-rooms" class="muted">No rooms you can see.</p>
            : (
              <ul id="mod-rooms" class="mod-list">
                {listed.value.map((r) => <RoomItem key={r.name} chat={chat} room={r} acted={reload} />)}
              </ul>
            )}
    </>
  );
}

/** The request and the words of its success. */
function act(chat: PageChat, room: string, action: RoomAction): [() => Promise<Outcome<void>>, string] {
  const request = () => chat.moderate((c) => c.moderateRoom(room, action));
  return [request, action === 'close' ? `${room} is closed.` : `You own ${room} now.`];
}

function RoomItem({ chat, room, acted }: { chat: PageChat; room: RoomInfo; acted: () => void }) {
  const [state, run] = useOutcome();
  const [confirming, setConfirming] = useState(false);
  const go = async (action: RoomAction) => {
    setConfirming(false);
    if (await run('', ...act(chat, room.name, action))) acted();
  };
  const id = `mod-room-${room.name.slice(ROOM_PREFIX.length)}`;
  return (
    <li data-room={room.name}>
      <div class="mod-facts">
        <span class="mod-name">{room.name}</span>
        {room.private && <span class="tag">private</span>}
        <p class="muted">{room.members} {room.members === 1 ? 'member' : 'members'}{room.topic ? ` · ${room.topic}` : ''}</p>
        <FormNote id={id} state={state} />
      </div>
      <div class="mod-actions">
        <button type="button" class="plain" aria-label={`Take over ${room.name}`} disabled={state.busy} onClick={() => void go('takeover')}>Take over</button>
        {confirming
          ? <button type="button" class="danger" disabled={state.busy} onClick={() => void go('close')}>Close {room.name} for good</button>
          : <button type="button" class="plain" aria-label={`Close ${room.name}`} onClick={() => setConfirming(true)}>Close</button>}
      </div>
    </li>
  );
}

/** A room by its name, which may be private and so not listed. */
function TypedRoom({ chat, acted }: { chat: PageChat; acted: () => void }) {
  const [typed, setTyped] = useState('');
  const [state, run] = useOutcome();
  const room = typed.trim().startsWith(ROOM_PREFIX) ? typed.trim() : `${ROOM_PREFIX}${typed.trim()}`;
  const go = async (action: RoomAction) => {
    if (await run(typed.trim() ? '' : 'Type the room’s name first.', ...act(chat, room, action))) {
      setTyped('');
      acted();
    }
  };
  return (
    <form id="mod-room" class="mod-form" onSubmit={(ev) => { ev.preventDefault(); void go('takeover'); }}>
      <div class="field">
        <label for="mod-room-name">A room by name (private ones too)</label>
        <input id="mod-room-name" autocomplete="off" placeholder="#room" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
      </div>
      <button type="submit" disabled={state.busy}>Take it over</button>{' '}
      <button type="button" class="danger" disabled={state.busy} onClick={() => void go('close')}>Close it for good</button>
      <FormNote id="mod-room" state={state} />
    </form>
  );
}
