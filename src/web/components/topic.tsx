import { useState } from 'preact/hooks';
import type { RoomInfo } from '../../client/index.js';
import type { PageChat } from '../chat.js';
import { FormNote, useOutcome } from './form-outcome.js';
import { focusOnFirstShow } from './password-field.js';

/** The longest topic the server takes (docs/protocol.md §10.1), in bytes; the input counts characters, the server bytes. */
export const TOPIC_MAX = 300;

/**
 * A room's topic, under its name. Its owner and operators edit it in place (§10.4: they set the
 * topic): Enter saves, Esc gives up; everyone else reads it.
 */
export function Topic({ chat, room, editable }: { chat: PageChat; room: RoomInfo; editable: boolean }) {
  const [editing, setEditing] = useState(false);
  if (!editable) return <p id="topic" class="topic">{room.topic || 'No topic.'}</p>;
  if (!editing) {
    return (
      <button id="topic" type="button" class="topic editable" aria-label={`Topic: ${room.topic || 'none'}. Edit the topic`} onClick={() => setEditing(true)}>
        {room.topic || 'Add a topic'} <span class="pen" aria-hidden="true">✎</span>
      </button>
    );
  }
  return <TopicForm chat={chat} room={room} done={() => setEditing(false)} />;
}

function TopicForm({ chat, room, done }: { chat: PageChat; room: RoomInfo; done: () => void }) {
  const [text, setText] = useState(room.topic);
  const [state, run] = useOutcome();
  /** Back to the topic's button, the keyboard's focus on it. */
  const finish = () => {
    done();
    requestAnimationFrame(() => document.getElementById('topic')?.focus());
  };
  const onSubmit = async (ev: Event) => {
    ev.preventDefault();
    if (await run('', () => chat.roomRequests.setTopic(room.name, text.trim()), '')) finish();
  };
  const onKeyDown = (ev: KeyboardEvent) => {
    if (ev.key !== 'Escape') return;
    ev.preventDefault();
    ev.stopPropagation(); // the drawer's Esc is not for this
    finish();
  };
  return (
    <form id="topic-form" class="topic-form" onSubmit={onSubmit}>
      <div class="row">
        <input
          id="topic-input" aria-label={`The topic of ${room.name}`} maxLength={TOPIC_MAX} placeholder="What the room is about"
          value={text} onInput={(e) => setText(e.currentTarget.value)} onKeyDown={onKeyDown} ref={focusOnFirstShow}
        />
        <button type="submit" disabled={state.busy}>Save</button>
        <button type="button" class="plain" onClick={finish}>Cancel</button>
      </div>
      <FormNote id="topic" state={state} />
    </form>
  );
}
