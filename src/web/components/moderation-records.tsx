import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry, Report, StaffRole } from '../../client/moderation.js';
import type { PageChat } from '../chat.js';
import { timeLabel } from '../dates.js';
import { FormNote, useOutcome } from './form-outcome.js';
import { useListed } from './listed.js';

/**
 * The Moderation panel's Reports, Audit log and Staff tabs (docs/protocol.md §10.6): the messages
 * users reported, with Close, Delete the message and Kick its sender; the audit trail, newest
 * first, older pages on demand; and, for admins, giving or taking a staff role.
 */

/** Audit entries a page holds. */
const AUDIT_PAGE = 25;

export function Reports({ chat }: { chat: PageChat }) {
  const [listed, reload] = useListed(() => chat.moderate((c) => c.reports()));
  if (listed === undefined) return <p class="muted">Looking up the reports…</p>;
  if (!listed.ok) return <p class="error" role="alert">{listed.error}</p>;
  if (listed.value.length === 0) return <p id="no-reports" class="muted">No message has been reported.</p>;
  return (
    <ul id="mod-reports" class="mod-list">
      {listed.value.map((r) => <ReportItem key={r.id} chat={chat} report={r} closed={reload} />)}
    </ul>
  );
}

function ReportItem({ chat, report: r, closed }: { chat: PageChat; report: Report; closed: () => void }) {
  const [state, run] = useOutcome();
  const act = async (request: Parameters<PageChat['moderate']>[0], done: string, then?: () => void) => {
    if (await run('', () => chat.moderate(request), done)) then?.();
  };
  return (
    <li data-report={r.id} class={r.closedBy ? 'closed' : undefined}>
      <div class="mod-facts">
        <span class="mod-name">{r.from}</span>
        <span class="muted"> to {r.to}</span>
        <span class="tag">{r.closedBy ? `closed by ${r.closedBy}` : 'open'}</span>
        <blockquote class="quoted">{r.text}</blockquote>
        <p class="muted">
          #{r.id} · reported by {r.reporter} {timeLabel(r.at, new Date())}{r.reason ? ` · “${r.reason}”` : ' · no reason given'}
        </p>
        <FormNote id={`report-${r.id}`} state={state} />
      </div>
      {!r.closedBy && (
        <div class="mod-actions">
          <button type="button" class="plain" aria-label={`Delete the message of report ${r.id}`} disabled={state.busy}
            onClick={() => act((c) => c.deleteAny(r.msgId), 'Message deleted for everyone.')}>Delete message</button>
          <button type="button" class="plain" aria-label={`Kick ${r.from}`} disabled={state.busy}
            onClick={() => act((c) => c.kick(r.from, r.reason || 'a reported message'), `${r.from} was kicked.`)}>Kick {r.from}</button>
          <button type="button" aria-label={`Close report ${r.id}`} disabled={state.busy}
            onClick={() => act((c) => c.closeReport(r.id), '', closed)}>Close report</button>
        </div>
      )}
    </li>
  );
}

export function AuditLog({ chat }: { chat: PageChat }) {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [more, setMore] = useState(false);
  const [state, run] = useOutcome();
  const page = (before?: number) => void run('', async () => {
    const outcome = await chat.moderate((c) => c.audit({ limit: AUDIT_PAGE, ...(before !== undefined && { before }) }));
    if (outcome.ok) {
      setEntries((shown) => (before === undefined ? outcome.value.entries : [...shown, ...outcome.value.entries]));
      setMore(outcome.value.more);
    }
    return outcome;
  }, '');
  useEffect(() => page(), []);
  const now = new Date();
  return (
    <>
      <div class="table-scroll">
        <table id="mod-audit" class="mod-table">
          <caption class="muted">Who did what to whom, newest first</caption>
          <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">To</th><th scope="col">Detail</th></tr></thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-audit={e.id}>
                <td><time dateTime={e.at.toISOString()} title={e.at.toLocaleString()}>{timeLabel(e.at, now)}</time></td>
                <td>{e.actor}</td><td>{e.action}</td><td>{e.target}</td><td>{e.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!state.busy && entries.length === 0 && !state.error && <p class="muted">The audit trail is empty.</p>}
      {more && <button id="audit-older" type="button" class="plain wide" disabled={state.busy} onClick={() => page(entries.at(-1)!.id)}>Older entries</button>}
      <FormNote id="audit" state={state} />
    </>
  );
}

/** Admins give a registered account a role, or take it (MOD_GRANT). */
export function Staff({ chat }: { chat: PageChat }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<StaffRole | 'none'>('moderator');
  const [state, run] = useOutcome();
  const onSubmit = (ev: Event) => {
    ev.preventDefault();
    const who = name.trim();
    const done = role === 'none' ? `${who} has no staff role now.` : `${who} is now ${role === 'admin' ? 'an admin' : 'a moderator'}.`;
    void run(who ? '' : 'Type the name of a registered account.', () => chat.moderate((c) => c.grant(who, role)), done);
  };
  return (
    <form id="grant" onSubmit={onSubmit}>
      <p class="muted">Moderators warn, kick, mute, delete messages and handle reports; admins also ban, announce, close rooms and give roles.</p>
      <div class="field">
        <label for="grant-name">Registered account</label>
        <input id="grant-name" autocomplete="off" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="grant-role">Role</label>
        <select id="grant-role" value={role} onChange={(e) => setRole(e.currentTarget.value as StaffRole | 'none')}>
          <option value="moderator">moderator</option>
          <option value="admin">admin</option>
          <option value="none">none (take the role away)</option>
        </select>
      </div>
      <button type="submit" class="wide" disabled={state.busy}>Give the role</button>
      <FormNote id="grant" state={state} />
    </form>
  );
}
