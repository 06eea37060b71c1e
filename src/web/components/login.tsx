import { useState } from 'preact/hooks';
import type { PageChat } from '../chat.js';
import { askToNotify } from '../attention.js';

export function Login({ chat }: { chat: PageChat }) {
  const [name, setName] = useState('');
  const onSubmit = (ev: Event) => {
    ev.preventDefault();
    askToNotify(); // asked on the user's own click, never on load
    chat.join(name.trim());
  };
  return (
    <form id="login" class="login" autocomplete="off" onSubmit={onSubmit}>
      <label for="name">Pick a name</label>
      <div class="row">
        <input
          id="name" name="name" maxLength={64} required autoFocus placeholder="your name"
          value={name} onInput={(e) => setName(e.currentTarget.value)}
        />
        <button type="submit" disabled={chat.state.kind !== 'naming' || chat.state.waitingFor !== undefined}>Join</button>
      </div>
      <p id="login-error" class="error" role="alert">{chat.loginError}</p>
    </form>
  );
}
