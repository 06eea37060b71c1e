import { useEffect, useState } from 'preact/hooks';
import type { BlockEntry } from '../../client/client.js';
import type { PageChat, Profile } from '../chat.js';
import { Dialog } from './dialog.js';
import { FormNote, useOutcome } from './form-outcome.js';
import { newPasswordProblem, PasswordField } from './password-field.js';

/** The limits of a profile's fields (docs/protocol.md §10.1), in bytes; the inputs count characters, the server bytes. */
const LIMITS = { displayName: 64, statusMessage: 200, about: 1000 };
export const STATUSES = [['available', 'Available'], ['away', 'Away'], ['busy', 'Busy']] as const;

/**
 * The user's own settings: a guest may keep the name they hold; a registered user edits their
 * profile, changes their password or deletes their account; either sees whom they block (§10.7).
 */
export function Settings({ chat, close }: { chat: PageChat; close: () => void }) {
  return (
    <Dialog id="settings" title={`Settings for ${chat.me}`} onClose={close}>
      {chat.registered ? (
        <>
          <ProfileForm chat={chat} />
          <PasswordForm chat={chat} />
          <DeleteForm chat={chat} />
        </>
      ) : chat.accountsOffered ? (
        <KeepNameForm chat={chat} />
      ) : (
        <p class="muted">This server does not keep accounts: names are for the visit only.</p>
      )}
      {chat.accountsOffered && <BlockedList chat={chat} />}
    </Dialog>
  );
}

/** Whom the user blocks (docs/protocol.md §10.7), each with Unblock; blocking is on a profile card. */
function BlockedList({ chat }: { chat: PageChat }) {
  const [blocks, setBlocks] = useState<BlockEntry[] | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    void chat.blocks().then((o) => (o.ok ? setBlocks(o.value) : setError(o.error)));
  }, []);
  const unblock = async (name: string) => {
    const outcome = await chat.unblock(name);
    if (outcome.ok) setBlocks((list) => list?.filter((b) => b.name !== name));
    setError(outcome.ok ? '' : outcome.error);
  };
  return (
    <section id="blocked" class="section" aria-labelledby="blocked-title">
      <h3 id="blocked-title">Blocked</h3>
      {blocks?.length === 0 && <p class="muted">You block nobody. A person's profile card has Block.</p>}
      {blocks && blocks.length > 0 && (
        <ul class="blocked">
          {blocks.map((b) => (
            <li key={b.name} data-name={b.name}>
              {b.name}{b.registered ? '' : ' (guest)'}{' '}
              <button type="button" aria-label={`Unblock ${b.name}`} onClick={() => void unblock(b.name)}>Unblock</button>
            </li>
          ))}
        </ul>
      )}
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}

function KeepNameForm({ chat }: { chat: PageChat }) {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [state, run] = useOutcome();
  const onSubmit = (ev: Event) => {
    ev.preventDefault();
    void run(newPasswordProblem(password, again), () => chat.keepName(password), '');
  };
  return (
    <form id="keep-name" class="section" onSubmit={onSubmit}>
      <h3>Keep this name</h3>
      <p class="muted">You are a guest: {chat.me} is yours while you are here. Choose a password to keep it, and log in with it next time.</p>
      <input type="text" name="username" autocomplete="username" value={chat.me} hidden readOnly />
      <PasswordField id="keep-password" label="New password (at least 8 characters)" value={password} set={setPassword} autocomplete="new-password" autoFocus />
      <PasswordField id="keep-password-again" label="The password again" value={again} set={setAgain} autocomplete="new-password" />
      <button type="submit" disabled={state.busy}>Keep this name</button>
      <FormNote id="keep-name" state={state} />
    </form>
  );
}

function ProfileForm({ chat }: { chat: PageChat }) {
  const [profile, setProfile] = useState<Profile | undefined>(undefined);
  const [state, run] = useOutcome();
  useEffect(() => {
    void chat.whois(chat.me!).then((o) => o.ok && setProfile(o.value));
  }, []);
  const set = (field: keyof Profile) => (e: { currentTarget: { value: string } }) => setProfile({ ...profile, [field]: e.currentTarget.value });
  const onSubmit = (ev: Event) => {
    ev.preventDefault();
    const { displayName, about, status, statusMessage } = profile ?? {};
    void run('', () => chat.saveProfile({ displayName, about, status, statusMessage }), 'Your profile is saved.');
  };
  if (!profile) return <p class="muted section">Loading your profile…</p>;
  return (
    <form id="profile" class="section" onSubmit={onSubmit}>
      <h3>Profile</h3>
      <div class="field">
        <label for="display-name">Display name</label>
        <input id="display-name" maxLength={LIMITS.displayName} value={profile.displayName ?? ''} onInput={set('displayName')} />
      </div>
      <fieldset class="field statuses">
        <legend>Status</legend>
        {STATUSES.map(([value, label]) => (
          <label key={value} class="choice">
            <input type="radio" name="status" value={value} checked={profile.status === value} onChange={set('status')} /> {label}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for="status-message">Status message</label>
        <input id="status-message" maxLength={LIMITS.statusMessage} placeholder="in a meeting until 3" value={profile.statusMessage ?? ''} onInput={set('statusMessage')} />
      </div>
      <div class="field">
        <label for="about">About you</label>
        <textarea id="about" rows={3} maxLength={LIMITS.about} value={profile.about ?? ''} onInput={set('about')} />
      </div>
      <button type="submit" disabled={state.busy}>Save profile</button>
      <FormNote id="profile" state={state} />
    </form>
  );
}

function PasswordForm({ chat }: { chat: PageChat }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [state, run] = useOutcome();
  const onSubmit = async (ev: Event) => {
    ev.preventDefault();
    if (await run(newPasswordProblem(next, again), () => chat.changePassword(current, next), 'Your password is changed.')) {
      setCurrent('');
      setNext('');
      setAgain('');
    }
  };
  return (
    <form id="password-change" class="section" onSubmit={onSubmit}>
      <h3>Change the password</h3>
      <input type="text" name="username" autocomplete="username" value={chat.me} hidden readOnly />
      <PasswordField id="current-password" label="Current password" value={current} set={setCurrent} autocomplete="current-password" />
      <PasswordField id="new-password" label="New password (at least 8 characters)" value={next} set={setNext} autocomplete="new-password" />
      <PasswordField id="new-password-again" label="The new password again" value={again} set={setAgain} autocomplete="new-password" />
      <button type="submit" disabled={state.busy}>Change the password</button>
      <FormNote id="password-change" state={state} />
    </form>
  );
}

function DeleteForm({ chat }: { chat: PageChat }) {
  const [password, setPassword] = useState('');
  const [state, run] = useOutcome();
  const onSubmit = (ev: Event) => {
    ev.preventDefault();
    void run('', () => chat.deleteAccount(password), '');
  };
  return (
    <form id="delete-account" class="section danger" onSubmit={onSubmit}>
      <h3>Delete the account</h3>
      <p class="muted">Your profile and password are deleted; you stay in the chat as a guest, and the name is free for anyone once you leave.</p>
      <PasswordField id="delete-password" label="Your password, to confirm" value={password} set={setPassword} autocomplete="current-password" />
      <button type="submit" class="danger" disabled={state.busy}>Delete my account</button>
      <FormNote id="delete-account" state={state} />
    </form>
  );
}
