import { useState } from 'preact/hooks';
import type { PageChat } from '../chat.js';
import type { MessageEntry } from '../entries.js';
import { Dialog } from './dialog.js';
import { FormNote, useOutcome } from './form-outcome.js';

/**
 * Reporting someone's message to the moderators, with an optional reason (REPORT, docs/protocol.md
 * §10.6): the server keeps it as it is now and tells the staff online.
 */
export function ReportMessage({ chat, entry, reason: typed = '', close }: { chat: PageChat; entry: MessageEntry; reason?: string; close: () => void }) {
  const [reason, setReason] = useState(typed);
  const [state, run] = useOutcome();
  const [sent, setSent] = useState(false);
  const report = async (e: Event) => {
    e.preventDefault();
    if (await run('', () => chat.reportMessage(entry.msgId!, reason.trim()), 'Reported: the moderators have been told.')) setSent(true);
  };
  return (
    <Dialog id="report-message" title={`Report ${entry.from}'s message?`} onClose={close}>
      <form onSubmit={report}>
        <blockquote class="quoted">{entry.action ? `* ${entry.from} ${entry.text}` : entry.text}</blockquote>
        <label for="report-reason">Why (optional)</label>
        <input id="report-reason" type="text" maxLength={300} value={reason} disabled={sent} onInput={(e) => setReason(e.currentTarget.value)} />
        <div class="actions">
          <button type="button" class="plain" onClick={close}>{sent ? 'Close' : 'Cancel'}</button>
          {!sent && <button type="submit" id="report-message-confirm" class="danger" disabled={state.busy}>Report to the moderators</button>}
        </div>
        <FormNote id="report-message" state={state} />
      </form>
    </Dialog>
  );
}
