import type { PageChat } from '../chat.js';
import type { MessageEntry } from '../entries.js';
import { Dialog } from './dialog.js';
import { FormNote, useOutcome } from './form-outcome.js';

/**
 * Deleting a message, asked before it is done: one of the user's (DELETE, docs/protocol.md §11),
 * or staff's of anyone's (MOD_DELETE, §10.6). It is gone for everyone who has it, who then see
 * "message deleted" in its place.
 */
export function DeleteMessage({ chat, entry, close }: { chat: PageChat; entry: MessageEntry; close: () => void }) {
  const [state, run] = useOutcome();
  const remove = async () => {
    const id = entry.msgId!;
    if (await run('', () => (entry.own ? chat.deleteMessage(id) : chat.deleteAnyMessage(id)), '')) close();
  };
  return (
    <Dialog id="delete-message" title={entry.own ? 'Delete this message?' : `Delete ${entry.from}'s message?`} onClose={close}>
      <blockquote class="quoted">{entry.action ? `* ${entry.from} ${entry.text}` : entry.text}</blockquote>
      <p>It is deleted for everyone: wherever it was shown, it reads “message deleted” instead. This cannot be undone.</p>
      <div class="actions">
        <button type="button" class="plain" onClick={close}>Keep it</button>
        <button type="button" id="delete-message-confirm" class="danger" disabled={state.busy} onClick={remove}>Delete for everyone</button>
      </div>
      <FormNote id="delete-message" state={state} />
    </Dialog>
  );
}
