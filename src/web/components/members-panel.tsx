import { useEffect, useRef, useState } from 'preact/hooks';
import { sameName, type RoomInfo, type RoomMember, type RoomRole } from '../../client/index.js';
import { NAME_BYTES } from '../../protocol/index.js';
import type { PageChat } from '../chat.js';
import { membersCount, roleWords, sortedMembers } from '../room-words.js';
import { Dialog } from './dialog.js';
import { FormNote, useOutcome } from './form-outcome.js';

/**
 * A room's members (ROOM_MEMBERS, docs/protocol.md §10.4): name, role, online or not; looked up
 * when opened and again after each change in the room. Its owner and operators make it private
 * or public, choose whether newcomers see its earlier messages (§11), add people and remove members; its owner names operators and hands it over.
 */
export function MembersPanel({ chat, room, close }: { chat: PageChat; room: string; close: () => void }) {
  const [members, setMembers] = useState<RoomMember[] | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    const load = () => void chat.roomRequests.members(room).then((o) => (o.ok ? setMembers(o.value) : setError(o.error)));
    load();
    return chat.on('room', (e) => sameName(e.room, room) && load());
  }, [room]);
  const info = chat.room(room);
  const manages = info?.role === 'owner' || info?.role === 'operator';
  return (
    <Dialog id="members" title={`Members of ${info?.name ?? room}`} onClose={close}>
      {!info && <p class="muted">You are not in {room} any more.</p>}
      {info && manages && <PrivacySwitch chat={chat} room={info} />}
      {info && manages && <HistorySwitch chat={chat} room={info} />}
      {info && manages && <AddMember chat={chat} room={info.name} />}
      <p class="error" role="alert">{error}</p>
      {members === undefined && !error && <p class="muted">Looking the members up…</p>}
      {members && (
        <section class="section" aria-labelledby="member-list-title">
          <h3 id="member-list-title">{membersCount(members.length)}</h3>
          <ul id="member-list" class="member-list">
            {sortedMembers(members).map((m) => <Member key={m.name} chat={chat} room={room} member={m} myRole={info?.role} />)}
          </ul>
        </section>
      )}
    </Dialog>
  );
}

function PrivacySwitch({ chat, room }: { chat: PageChat; room: RoomInfo }) {
  const [state, run] = useOutcome();
  const onChange = (e: { currentTarget: HTMLInputElement }) => void run('', () => chat.roomRequests.setPrivate(room.name, e.currentTarget.checked), '');
  return (
    <div class="section">
      <label class="choice">
        <input id="room-private" type="checkbox" checked={room.private} disabled={state.busy} onChange={onChange} /> Private: only its members see {room.name},
        and only owners and operators add people
      </label>
      <FormNote id="room-private" state={state} />
    </div>
  );
}

/** Whether newcomers see the room's messages from before they joined (HISTORY `all`) or only from their join (`joined`). */
function HistorySwitch({ chat, room }: { chat: PageChat; room: RoomInfo }) {
  const [state, run] = useOutcome();
  const onChange = (e: { currentTarget: HTMLInputElement }) => void run('', () => chat.roomRequests.setHistory(room.name, e.currentTarget.checked ? 'all' : 'joined'), '');
  return (
    <div class="section">
      <label class="choice">
        <input id="room-history" type="checkbox" checked={room.history !== 'joined'} disabled={state.busy} onChange={onChange} /> Newcomers see earlier
        messages: who joins {room.name} reads what was said before (unticked: only from when they join)
      </label>
      <FormNote id="room-history" state={state} />
    </div>
  );
}

function AddMember({ chat, room }: { chat: PageChat; room: string }) {
  const [name, setName] = useState('');
  const [state, run] = useOutcome();
  const onSubmit = async (ev: Event) => {
    ev.preventDefault();
    const who = name.trim();
    const problem = who ? '' : 'Type the name of the one to add.';
    if (await run(problem, () => chat.roomRequests.invite(room, who), `${who} is in ${room} now.`)) setName('');
  };
  return (
    <form id="add-member" class="section" onSubmit={onSubmit}>
      <label for="add-member-name" class="field-label">Add someone by name</label>
      <div class="row">
        <input id="add-member-name" maxLength={NAME_BYTES} autocomplete="off" placeholder="their name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit" disabled={state.busy}>Add</button>
      </div>
      <FormNote id="add-member" state={state} />
    </form>
  );
}

interface MemberProps {
  chat: PageChat;
  room: string;
  member: RoomMember;
  /** The user's own role in the room, which says what they may do to others. */
  myRole: RoomRole | undefined;
}

/** One member: what they are, and what the user may do to them (§10.4: operators remove only plain members; roles are the owner's). */
function Member({ chat, room, member, myRole }: MemberProps) {
  const [state, run] = useOutcome();
  const [handingOver, setHandingOver] = useState(false);
  const me = chat.me !== undefined && sameName(member.name, chat.me);
  const online = chat.users.some((u) => sameName(u, member.name));
  const canRemove = !me && (myRole === 'owner' || (myRole === 'operator' && member.role === 'member'));
  // a guest cannot hold a role
  const canGiveRole = myRole === 'owner' && !me && member.registered && member.role !== 'owner';
  const give = (role: RoomRole) => void run('', () => chat.roomRequests.setRole(room, member.name, role), '');
  const facts = [roleWords(member.role), online ? 'online' : 'offline', !member.registered && 'a guest'].filter(Boolean).join(' · ');
  return (
    <li data-name={member.name}>
      <div class="member-line">
        <span class={online ? 'presence online' : 'presence'} aria-hidden="true" />
        <span class="member-name">{member.name}{me && ' (you)'}</span>
        <span class="muted member-facts">{facts}</span>
      </div>
      {(canGiveRole || canRemove) && !handingOver && (
        <div class="actions">
          {canGiveRole && (
            <button type="button" class="plain small" disabled={state.busy} onClick={() => give(member.role === 'operator' ? 'member' : 'operator')}>
              {member.role === 'operator' ? `Make ${member.name} a plain member` : `Make ${member.name} an operator`}
            </button>
          )}
          {canGiveRole && <button type="button" class="plain small" onClick={() => setHandingOver(true)}>Make {member.name} the owner…</button>}
          {canRemove && (
            <button type="button" class="plain small" disabled={state.busy} onClick={() => void run('', () => chat.roomRequests.remove(room, member.name), '')}>
              Remove {member.name}
            </button>
          )}
        </div>
      )}
      {handingOver && <HandOver chat={chat} room={room} name={member.name} done={() => setHandingOver(false)} />}
      <FormNote id={`member-${member.name.replace(/\s/g, '-')}`} state={state} />
    </li>
  );
}

/** Handing the room over, asked once more: the user stops being its owner (§10.4: they become an operator). */
function HandOver({ chat, room, name, done }: { chat: PageChat; room: string; name: string; done: () => void }) {
  const [state, run] = useOutcome();
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => yes.current?.focus(), []);
  const handOver = async () => {
    if (await run('', () => chat.roomRequests.setRole(room, name, 'owner'), '')) done();
  };
  return (
    <div class="actions confirm">
      <span>Hand {room} over to {name}? You become an operator.</span>
      <button type="button" ref={yes} disabled={state.busy} onClick={handOver}>Hand it over</button>
      <button type="button" class="plain" onClick={done}>Cancel</button>
      <FormNote id="hand-over" state={state} />
    </div>
  );
}
