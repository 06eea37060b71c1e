/** The longest password the server takes (docs/protocol.md §10.1); the shortest is checked in words. */
export const PASSWORD_MAX = 256;
export const PASSWORD_MIN = 8;

interface Props {
  id: string;
  label: string;
  value: string;
  set: (value: string) => void;
  /** current-password to log in or confirm; new-password to choose one (password managers tell them apart). */
  autocomplete: 'current-password' | 'new-password';
  autoFocus?: boolean;
}

/** A labelled password input: its value lives only here and in the form that owns it. */
export function PasswordField({ id, label, value, set, autocomplete, autoFocus }: Props) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id} name={id} type="password" autocomplete={autocomplete} maxLength={PASSWORD_MAX} required
        value={value} onInput={(e) => set(e.currentTarget.value)} ref={autoFocus ? focusOnFirstShow : undefined}
      />
    </div>
  );
}

/** What is wrong with a new password typed twice, in plain words; '' when it will do. */
export function newPasswordProblem(password: string, again: string): string {
  if ([...password].length < PASSWORD_MIN) return `A password must be at least ${PASSWORD_MIN} characters long.`;
  if (password !== again) return 'The two passwords are not the same: type the new password twice.';
  return '';
}

/** Focuses an input when it first appears (the autofocus attribute works only on a page's first load). */
export function focusOnFirstShow(el: HTMLInputElement | null): void {
  if (el && !el.dataset.focused) {
    el.dataset.focused = '1';
    el.focus();
  }
}
