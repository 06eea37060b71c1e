import { useState } from 'preact/hooks';
import { isRoomName } from '../../client/index.js';
import { ALL, nameKey } from '../../protocol/index.js';
import type { PageChat } from '../chat.js';

/** Lines the text box grows to before it scrolls. */
const MAX_ROWS = 6;

/**
 * The text box, sending to the conversation shown: Enter sends, Shift+Enter starts a new line;
 * slash commands work as in the terminal.
 */
export function Composer({ chat }: { chat: PageChat }) {
  const [text, setText] = useState('');
  const { label, placeholder } = addressed(chat.target, chat.targetGone);
  const send = async () => {
    const line = text;
    // a room's command is answered later: what was typed since stays
    if (await chat.submit(line)) setText((now) => (now === line ? '' : now));
  };
  const onKeyDown = (ev: KeyboardEvent) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      void send();
    }
  };
  const removed = chat.removed;
  if (removed) {
    return (
      <div id="composer" class="composer">
        <p id="removed" class="error" role="alert">{removed} <button type="button" id="join-again" onClick={() => chat.rejoin()}>Join again</button></p>
      </div>
    );
  }
  if (chat.left) {
    return (
      <div id="composer" class="composer">
        <p class="muted">You left the chat. <button type="button" onClick={() => location.reload()}>Join again</button></p>
      </div>
    );
  }
  return (
    <form id="composer" class="composer" autocomplete="off" onSubmit={(ev) => { ev.preventDefault(); void send(); }}>
      <label for="text" id="target-label" class={chat.targetGone ? 'gone' : undefined}>{label}</label>
      <div class="row">
        <textarea
          id="text" name="text" rows={Math.min(MAX_ROWS, text.split('\n').length)} value={text}
          placeholder={placeholder}
          aria-describedby="send-error" onInput={(e) => setText(e.currentTarget.value)} onKeyDown={onKeyDown}
        />
        <button type="submit">Send</button>
      </div>
      <p id="send-error" class="error" role="alert">{chat.sendError}</p>
    </form>
  );
}

/** Whom the text box sends to, in its label and its placeholder. */
function addressed(target: string, gone: boolean): { label: string; placeholder: string } {
  if (nameKey(target) === nameKey(ALL)) return { label: 'To everyone', placeholder: 'Say howdy…' };
  if (isRoomName(target)) return { label: `To ${target}${gone ? ' (you are not in it)' : ''}`, placeholder: `Message ${target}…` };
  return { label: `Whisper to ${target}${gone ? ' (left)' : ''}`, placeholder: `Whisper to ${target}…` };
}
