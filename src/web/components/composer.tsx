import { useState } from 'preact/hooks';
import { ALL } from '../../protocol/index.js';
import type { PageChat } from '../chat.js';

/** Lines the text box grows to before it scrolls. */
const MAX_ROWS = 6;

/** The text box: Enter sends, Shift+Enter starts a new line; slash commands work as in the terminal. */
export function Composer({ chat }: { chat: PageChat }) {
  const [text, setText] = useState('');
  const gone = chat.targetGone;
  const label = chat.target === ALL ? 'To everyone' : `Whisper to ${chat.target}${gone ? ' (left)' : ''}`;
  const send = () => {
    if (chat.submit(text)) setText('');
  };
  const onKeyDown = (ev: KeyboardEvent) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      send();
    }
  };
  if (chat.left) {
    return (
      <div id="composer" class="composer">
        <p class="muted">You left the chat. <button type="button" onClick={() => location.reload()}>Join again</button></p>
      </div>
    );
  }
  return (
    <form id="composer" class="composer" autocomplete="off" onSubmit={(ev) => { ev.preventDefault(); send(); }}>
      <label for="text" id="target-label" class={gone ? 'gone' : undefined}>{label}</label>
      <div class="row">
        <textarea
          id="text" name="text" rows={Math.min(MAX_ROWS, text.split('\n').length)} value={text}
          placeholder={chat.target === ALL ? 'Say howdy…' : `Whisper to ${chat.target}…`}
          aria-describedby="send-error" onInput={(e) => setText(e.currentTarget.value)} onKeyDown={onKeyDown}
        />
        <button type="submit">Send</button>
      </div>
      <p id="send-error" class="error" role="alert">{chat.sendError}</p>
    </form>
  );
}
