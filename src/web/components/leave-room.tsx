import type { Outcome, PageChat } from '../chat.js';
import type { OpenDialog } from './app.js';
import { Dialog } from './dialog.js';
import { FormNote, useOutcome } from './form-outcome.js';

interface Props {
  chat: PageChat;
  room: string;
  /** Closes the dialog; `then` puts the keyboard on the text box (the room is gone from the screen). */
  close: (then?: 'text') => void;
  openDialog: OpenDialog;
}

/**
 * Leaving a room, said before it is done. Its owner cannot leave it (docs/protocol.md §10.4): they
 * are told to hand it over first (in Members), or they delete it, for everyone.
 */
export function LeaveRoom({ chat, room, close, openDialog }: Props) {
  const [state, run] = useOutcome();
  const info = chat.room(room);
  const owner = info?.role === 'owner';
  const act = async (request: () => Promise<Outcome<unknown>>) => {
    if (await run('', request, '')) close('text');
  };
  return (
    <Dialog id="leave-room" title={owner ? `Leave or delete ${room}` : `Leave ${room}?`} onClose={() => close()}>
      {owner ? (
        <>
          <p>
            You own {room}, so you cannot just leave it. Make another member its owner first (in Members), then leave; or delete
            the room: it is gone for everyone in it.
          </p>
          <div class="actions">
            <button type="button" class="plain" onClick={() => openDialog({ kind: 'members', room })}>Members</button>
            <button type="button" class="danger" disabled={state.busy} onClick={() => act(() => chat.roomRequests.delete(room))}>Delete {room}</button>
          </div>
        </>
      ) : (
        <>
          <p>{info?.private ? `${room} is private: to come back, someone in it must add you again.` : `You can join ${room} again whenever you like, from Rooms (+).`}</p>
          <div class="actions">
            <button type="button" class="plain" onClick={() => close()}>Stay</button>
            <button type="button" disabled={state.busy} onClick={() => act(() => chat.roomRequests.leave(room))}>Leave {room}</button>
          </div>
        </>
      )}
      <FormNote id="leave-room" state={state} />
    </Dialog>
  );
}
