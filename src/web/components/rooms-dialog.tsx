import { useEffect, useState } from 'preact/hooks';
import type { RoomInfo } from '../../client/index.js';
import { NAME_BYTES } from '../../protocol/index.js';
import type { Outcome, PageChat } from '../chat.js';
import { membersCount } from '../room-words.js';
import { Dialog } from './dialog.js';
import { FormNote, useOutcome } from './form-outcome.js';
import { focusOnFirstShow } from './password-field.js';
import { Tabs } from './tabs.js';
import { TOPIC_MAX } from './topic.js';

interface Props {
  chat: PageChat;
  /** Closes the dialog; `then` puts the keyboard on the text box (a room was entered). */
  close: (then?: 'text') => void;
}

/** The + by Rooms: find a room and join it, or create one (docs/protocol.md §10.4). */
export function RoomsDialog({ chat, close }: Props) {
  const [tab, setTab] = useState<'browse' | 'create'>('browse');
  return (
    <Dialog id="rooms-dialog" title="Rooms" onClose={() => close()}>
      <Tabs id="rooms" label="Find or create a room" tabs={[['browse', 'Find a room'], ['create', 'Create a room']]} chosen={tab} choose={setTab}>
        {tab === 'browse' ? <BrowseRooms chat={chat} entered={() => close('text')} /> : <CreateRoom chat={chat} entered={() => close('text')} />}
      </Tabs>
    </Dialog>
  );
}

/** The rooms the user may see (ROOM_LIST): public ones, and their own. */
function BrowseRooms({ chat, entered }: { chat: PageChat; entered: () => void }) {
  const [listed, setListed] = useState<Outcome<RoomInfo[]> | undefined>(undefined);
  const [filter, setFilter] = useState('');
  useEffect(() => void chat.roomRequests.list().then(setListed), []);
  if (listed === undefined) return <p class="muted">Looking the rooms up…</p>;
  if (!listed.ok) return <p class="error" role="alert">{listed.error}</p>;
  const words = filter.trim().toLowerCase();
  const shown = listed.value.filter((r) => `${r.name} ${r.topic}`.toLowerCase().includes(words));
  return (
    <>
      {listed.value.length === 0 ? (
        <p class="muted">There are no rooms to join yet.{chat.registered ? ' Create the first one!' : ''}</p>
      ) : (
        <div class="field">
          <label for="room-filter">Find by name or topic</label>
          <input id="room-filter" type="search" autocomplete="off" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} ref={focusOnFirstShow} />
        </div>
      )}
      <ul id="room-browser" class="room-browser">
        {shown.map((room) => <RoomChoice key={room.name} chat={chat} room={room} entered={entered} />)}
      </ul>
      {words && shown.length === 0 && <p class="muted">No room's name or topic has “{filter.trim()}”.</p>}
    </>
  );
}

function RoomChoice({ chat, room, entered }: { chat: PageChat; room: RoomInfo; entered: () => void }) {
  const [state, run] = useOutcome();
  const open = () => {
    chat.select(room.name);
    entered();
  };
  const join = async () => {
    if (await run('', () => chat.roomRequests.join(room.name), '')) entered();
  };
  return (
    <li data-room={room.name}>
      <div class="room-facts">
        <span class="room-name">{room.name}</span>
        {room.private && <span class="tag">private</span>}
        <span class="muted"> · {membersCount(room.members)}{room.joined ? ' · you are in it' : ''}</span>
        {room.topic && <p class="muted room-topic">{room.topic}</p>}
        <FormNote id={`join-${room.name.slice(1).replace(/\s/g, '-')}`} state={state} />
      </div>
      {room.joined
        ? <button type="button" class="plain" aria-label={`Open ${room.name}`} onClick={open}>Open</button>
        : <button type="button" aria-label={`Join ${room.name}`} disabled={state.busy} onClick={join}>Join</button>}
    </li>
  );
}

/** A new room: its name, topic, whether private, and whether newcomers see earlier messages. Only registered users create rooms (§10.4): a guest is told how to become one. */
function CreateRoom({ chat, entered }: { chat: PageChat; entered: () => void }) {
  const [name, setName] = useState('');
  const [topic, setTopic] = useState('');
  const [isPrivate, setPrivate] = useState(false);
  const [earlier, setEarlier] = useState(true);
  const [state, run] = useOutcome();
  if (!chat.registered) {
    return (
      <p id="create-room-guest" class="muted">
        Only registered users create rooms, and you are a guest. Keep your name with a password in Settings (⚙), or log in,
        then come back. As a guest you can join public rooms.
      </p>
    );
  }
  const onSubmit = async (ev: Event) => {
    ev.preventDefault();
    const problem = name.trim().replace(/^#/, '') ? '' : 'Type a name for the room.';
    if (await run(problem, () => chat.roomRequests.create(name, { topic: topic.trim(), private: isPrivate, ...(!earlier && { history: 'joined' as const }) }), '')) entered();
  };
  return (
    <form id="create-room" onSubmit={onSubmit}>
      <div class="field">
        <label for="room-name">Name (a # goes first)</label>
        <input id="room-name" maxLength={NAME_BYTES} autocomplete="off" placeholder="#tea" value={name} onInput={(e) => setName(e.currentTarget.value)} ref={focusOnFirstShow} />
      </div>
      <div class="field">
        <label for="room-topic">Topic (you can change it later)</label>
        <input id="room-topic" maxLength={TOPIC_MAX} autocomplete="off" placeholder="What the room is about" value={topic} onInput={(e) => setTopic(e.currentTarget.value)} />
      </div>
      <label class="choice field">
        <input id="room-private-new" type="checkbox" checked={isPrivate} onChange={(e) => setPrivate(e.currentTarget.checked)} /> Private: only the
        people you add see it and can join
      </label>
      <label class="choice field">
        <input id="room-history-new" type="checkbox" checked={earlier} onChange={(e) => setEarlier(e.currentTarget.checked)} /> Newcomers see earlier
        messages (unticked: only from when they join)
      </label>
      <button type="submit" class="wide" disabled={state.busy}>Create the room</button>
      <FormNote id="create-room" state={state} />
    </form>
  );
}
