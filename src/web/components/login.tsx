import { useState } from 'preact/hooks';
import type { NameMode, PageChat } from '../chat.js';
import { askToNotify } from '../attention.js';
import { focusOnFirstShow, newPasswordProblem, PasswordField } from './password-field.js';

const TITLES = { login: 'Log in', create: 'Create an account' } as const;
/** What the name is, under a title that says what the form does (a guest's has the title as label). */
const NAME_LABELS: Record<NameMode, string> = { guest: 'Pick a name', login: 'Your name', create: 'The name you want' };
const ACTIONS: Record<NameMode, string> = { guest: 'Join', login: 'Log in', create: 'Create and join' };

/**
 * The way in: a name as a guest, or a registered name with its password (log in, or create the
 * account). Only the guest way is offered by a server without accounts.
 */
export function Login({ chat }: { chat: PageChat }) {
  const { mode, name } = chat.nameForm;
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState('');
  const onSubmit = (ev: Event) => {
    ev.preventDefault();
    askToNotify(); // asked on the user's own click, never on load
    const trimmed = name.trim();
    setProblem('');
    if (mode === 'guest') chat.join(trimmed);
    else if (mode === 'login') chat.logIn(trimmed, password);
    else {
      const wrong = newPasswordProblem(password, again);
      if (wrong) return setProblem(wrong);
      chat.createAccount(trimmed, password);
    }
    setPassword('');
    setAgain('');
  };
  const naming = chat.state.kind === 'naming' && chat.state.waitingFor === undefined;
  const switchTo = (next: NameMode) => {
    setProblem('');
    chat.setNameForm({ mode: next });
  };
  return (
    <main class="login">
      <form id="login" autocomplete={mode === 'guest' ? 'off' : 'on'} onSubmit={onSubmit} aria-describedby="login-error">
        {mode !== 'guest' && <h2 class="title">{TITLES[mode]}</h2>}
        <label for="name" class="title">{NAME_LABELS[mode]}</label>
        <div class="row">
          <input
            id="name" name="name" maxLength={64} required placeholder="your name" autocomplete={mode === 'guest' ? 'off' : 'username'}
            value={name} onInput={(e) => chat.setNameForm({ name: e.currentTarget.value })}
            ref={mode === 'guest' || name === '' ? focusOnFirstShow : undefined}
          />
          {mode === 'guest' && <button type="submit" disabled={!naming}>{ACTIONS[mode]}</button>}
        </div>
        {mode !== 'guest' && (
          <>
            <PasswordField
              id="password" label="Password" value={password} set={setPassword}
              autocomplete={mode === 'login' ? 'current-password' : 'new-password'} autoFocus={name !== ''}
            />
            {mode === 'create' && <PasswordField id="password-again" label="The password again" value={again} set={setAgain} autocomplete="new-password" />}
            <button type="submit" class="wide" disabled={!naming}>{ACTIONS[mode]}</button>
          </>
        )}
        <p id="login-error" class="error" role="alert">{problem || chat.loginError}</p>
      </form>
      {chat.accountsOffered && <ModeSwitch mode={mode} switchTo={switchTo} />}
    </main>
  );
}

/** The other ways in, as buttons under the form. */
function ModeSwitch({ mode, switchTo }: { mode: NameMode; switchTo: (mode: NameMode) => void }) {
  const others: Array<[NameMode, string]> = [
    ['login', 'I have an account: log in'],
    ['guest', 'Join as a guest'],
    ['create', 'Create an account'],
  ];
  return (
    <p class="ways">
      {others.filter(([m]) => m !== mode).map(([m, label]) => (
        <button key={m} type="button" class="link" id={`mode-${m}`} onClick={() => switchTo(m)}>{label}</button>
      ))}
    </p>
  );
}
