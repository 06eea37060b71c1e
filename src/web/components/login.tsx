import { useState } from 'preact/hooks';
import type { PageChat } from '../chat.js';
import { askToNotify } from '../attention.js';
import { focusOnFirstShow, PasswordField } from './password-field.js';

/**
 * The way in: a name as a guest, or a registered name with its password. Only the guest way is
 * offered by a server without accounts; a guest keeps their name from the settings once in.
 */
export function Login({ chat }: { chat: PageChat }) {
  const { mode, name } = chat.nameForm;
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const onSubmit = (ev: Event) => {
    ev.preventDefault();
    askToNotify(); // asked on the user's own click, never on load
    if (mode === 'guest') chat.join(name.trim());
    else if (mode === 'login') chat.logIn(name.trim(), password);
    else chat.signUp(name.trim(), password, again);
    setPassword(''); // a password is typed again for each attempt
    setAgain('');
  };
  const naming = chat.state.kind === 'naming' && chat.state.waitingFor === undefined;
  if (chat.resuming !== undefined) {
    return (
      <main class="login">
        <p id="resuming" role="status">Coming back as {chat.resuming}…</p>
      </main>
    );
  }
  return (
    <main class="login">
      <form id="login" autocomplete={mode === 'guest' ? 'off' : 'on'} onSubmit={onSubmit} aria-describedby="login-error">
        {mode === 'login' && <h2 class="title">Log in</h2>}
        {mode === 'create' && <h2 class="title">Create an account</h2>}
        <label for="name" class="title">{mode === 'guest' ? 'Pick a name' : 'Your name'}</label>
        <div class="row">
          <input
            id="name" name="name" maxLength={64} required placeholder="your name" autocomplete={mode === 'guest' ? 'off' : 'username'}
            value={name} onInput={(e) => chat.setNameForm({ name: e.currentTarget.value })}
            ref={mode === 'guest' || name === '' ? focusOnFirstShow : undefined}
          />
          {mode === 'guest' && <button type="submit" disabled={!naming}>Join</button>}
        </div>
        {mode === 'login' && (
          <>
            <PasswordField id="password" label="Password" value={password} set={setPassword} autocomplete="current-password" autoFocus={name !== ''} />
            <button type="submit" class="wide" disabled={!naming}>Log in</button>
          </>
        )}
        {mode === 'create' && (
          <>
            <PasswordField id="password" label="Password (at least 8 characters)" value={password} set={setPassword} autocomplete="new-password" autoFocus={name !== ''} />
            <PasswordField id="password-again" label="The same again" value={again} set={setAgain} autocomplete="new-password" />
            <button type="submit" class="wide" disabled={!naming}>Create the account and join</button>
          </>
        )}
        <p id="login-error" class="error" role="alert">{chat.loginError}</p>
      </form>
      {chat.accountsOffered && (
        <p class="ways">
          {mode !== 'login' && <button type="button" class="link" id="mode-login" onClick={() => chat.setNameForm({ mode: 'login' })}>I have an account: log in</button>}
          {mode !== 'create' && <button type="button" class="link" id="mode-create" onClick={() => chat.setNameForm({ mode: 'create' })}>Create an account</button>}
          {mode !== 'guest' && <button type="button" class="link" id="mode-guest" onClick={() => chat.setNameForm({ mode: 'guest' })}>Join as a guest</button>}
        </p>
      )}
    </main>
  );
}
