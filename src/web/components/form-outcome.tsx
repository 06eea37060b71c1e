import { useState } from 'preact/hooks';
import type { Outcome } from '../chat.js';

interface State {
  busy: boolean;
  error: string;
  done: string;
}

/**
 * The state of a form that sends one request: busy while waiting, then what went wrong or what
 * was done. `run` first takes the problem found before sending ('' when none).
 */
export function useOutcome(): [State, (problem: string, request: () => Promise<Outcome<unknown>>, doneText: string) => Promise<boolean>] {
  const [state, setState] = useState<State>({ busy: false, error: '', done: '' });
  const run = async (problem: string, request: () => Promise<Outcome<unknown>>, doneText: string) => {
    if (problem) {
      setState({ busy: false, error: problem, done: '' });
      return false;
    }
    setState({ busy: true, error: '', done: '' });
    const outcome = await request();
    setState(outcome.ok ? { busy: false, error: '', done: doneText } : { busy: false, error: outcome.error, done: '' });
    return outcome.ok;
  };
  return [state, run];
}

/** Under a form: what went wrong (read out at once), or what was done. */
export function FormNote({ id, state }: { id: string; state: State }) {
  return (
    <>
      <p id={`${id}-error`} class="error" role="alert">{state.error}</p>
      <p id={`${id}-done`} class="done" role="status">{state.done}</p>
    </>
  );
}
