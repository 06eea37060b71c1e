import { useState } from 'preact/hooks';
import { untilText, type Ban, type OnlineUser } from '../../client/moderation.js';
import { nameKey } from '../../protocol/index.js';
import type { Outcome, PageChat } from '../chat.js';
import { timeLabel } from '../dates.js';
import { Dialog } from './dialog.js';
import { MetricsCharts } from './metrics-charts.js';
import { ModerationRooms } from './moderation-rooms.js';
import { FormNote, useOutcome } from './form-outcome.js';
import { useListed } from './listed.js';
import { AuditLog, Reports, Staff } from './moderation-records.js';
import { focusOnFirstShow } from './password-field.js';
import { Tabs } from './tabs.js';

interface Props {
  chat: PageChat;
  close: () => void;
}

type Action = 'warn' | 'kick' | 'mute' | 'ban';
type Tab = 'users' | 'bans' | 'announce' | 'metrics' | 'reports' | 'audit' | 'staff' | 'rooms';
/** The panel's tabs; Staff and Rooms are shown to admins only. */
const TABS: ReadonlyArray<readonly [Tab, string]> = [
  ['users', 'People online'], ['reports', 'Reports'], ['bans', 'Bans'], ['announce', 'Announce'], ['audit', 'Audit log'], ['metrics', 'Metrics'], ['staff', 'Staff'], ['rooms', 'Rooms'],
];
/** Giving roles, closing and taking over rooms: admins only (§10.6). */
const ADMINS_ONLY: ReadonlySet<Tab> = new Set(['staff', 'rooms']);

/** How long a ban lasts, as offered (seconds; none: for ever). */
const BAN_LENGTHS: ReadonlyArray<readonly [string, string]> = [['3600', 'an hour'], ['86400', 'a day'], ['604800', 'a week'], ['2592000', '30 days'], ['', 'for ever']];

/**
 * The Moderation panel, for staff (docs/protocol.md §10.6): who is online with Warn, Kick, Mute
 * and Ban, the bans in force with Unban, an announcement to everyone, live charts of the server's
 * metrics, the reported messages, the audit trail, and for admins staff roles and the rooms to close
 * or take over. The server checks each action against the user's role: a moderator's ban is refused
 * in plain words.
 */
export function ModerationPanel({ chat, close }: Props) {
  const [tab, setTab] = useState<Tab>('users');
  const tabs = TABS.filter(([value]) => !ADMINS_ONLY.has(value) || chat.staffRole === 'admin');
  return (
    <Dialog id="moderation-dialog" title="Moderation" onClose={close}>
      <Tabs id="moderation" label="Moderate the server" tabs={tabs} chosen={tab} choose={setTab}>
        {tab === 'users' ? <OnlineUsers chat={chat} /> : tab === 'bans' ? <Bans chat={chat} /> : tab === 'announce' ? <Announce chat={chat} />
          : tab === 'metrics' ? <MetricsCharts /> : tab === 'reports' ? <Reports chat={chat} /> : tab === 'audit' ? <AuditLog chat={chat} />
            : tab === 'rooms' ? <ModerationRooms chat={chat} /> : <Staff chat={chat} />}
      </Tabs>
    </Dialog>
  );
}

function OnlineUsers({ chat }: { chat: PageChat }) {
  const [listed, reload] = useListed(() => chat.moderate((c) => c.onlineUsers()));
  const [acting, setActing] = useState<{ name: string; action: Action } | undefined>(undefined);
  if (listed === undefined) return <p class="muted">Looking up who is online…</p>;
  if (!listed.ok) return <p class="error" role="alert">{listed.error}</p>;
  const done = () => {
    setActing(undefined);
    reload();
  };
  return (
    <ul id="mod-users" class="mod-list">
      {listed.value.map((u) => {
        const me = nameKey(u.name) === nameKey(chat.me ?? '');
        const form = acting && nameKey(acting.name) === nameKey(u.name) ? acting.action : undefined;
        return (
          <li key={u.name} data-name={u.name}>
            <div class="mod-facts">
              <span class="mod-name">{u.name}</span>
              {me && <span class="muted"> (you)</span>}
              {u.role && <span class="tag">{u.role}</span>}
              {u.mutedUntil && <span class="tag" title={`muted ${untilText(u.mutedUntil)}`}>muted</span>}
              <p class="muted">{u.address} · since {timeLabel(u.since, new Date())} · {u.transport}</p>
            </div>
            {!me && (
              <div class="mod-actions">
                {(['warn', 'kick', 'mute', 'ban'] as const).map((a) => (
                  <button
                    key={a} type="button" class={form === a ? undefined : 'plain'} aria-expanded={form === a} aria-label={`${ACTION_WORDS[a]} ${u.name}`}
                    onClick={() => setActing(form === a ? undefined : { name: u.name, action: a })}
                  >
                    {ACTION_WORDS[a]}
                  </button>
                ))}
              </div>
            )}
            {form && <ActionForm key={form} chat={chat} user={u} action={form} done={done} />}
          </li>
        );
      })}
    </ul>
  );
}

const ACTION_WORDS: Record<Action, string> = { warn: 'Warn', kick: 'Kick', mute: 'Mute', ban: 'Ban' };

/** The small form of one action on one user: the warning's text, a reason, how long. */
function ActionForm({ chat, user, action, done }: { chat: PageChat; user: OnlineUser; action: Action; done: () => void }) {
  const [text, setText] = useState('');
  const [minutes, setMinutes] = useState('15');
  const [length, setLength] = useState('86400');
  const [byAddress, setByAddress] = useState(false);
  const [state, run] = useOutcome();
  const id = `mod-${action}`;
  const request = (): Promise<Outcome<unknown>> => {
    const reason = text.trim();
    switch (action) {
      case 'warn':
        return chat.moderate((c) => c.warn(user.name, reason));
      case 'kick':
        return chat.moderate((c) => c.kick(user.name, reason));
      case 'mute':
        return chat.moderate((c) => c.mute(user.name, Number(minutes) * 60, reason));
      case 'ban':
        return chat.moderate((c) => c.ban({
          kind: byAddress ? 'address' : 'name', value: byAddress ? user.address : user.name, reason, ...(length && { seconds: Number(length) }),
        }));
    }
  };
  const onSubmit = async (ev: Event) => {
    ev.preventDefault();
    const problem = action === 'warn' && !text.trim() ? 'Type the warning first.'
      : action === 'mute' && !/^\d+$/.test(minutes) ? 'Minutes are a whole number (0 unmutes).' : '';
    if (await run(problem, request, '')) done();
  };
  return (
    <form id={id} class="mod-form" onSubmit={onSubmit}>
      {action === 'mute' && (
        <div class="field">
          <label for={`${id}-minutes`}>For how many minutes (0 unmutes)</label>
          <input id={`${id}-minutes`} type="number" min="0" value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} />
        </div>
      )}
      {action === 'ban' && (
        <>
          <div class="field">
            <label for={`${id}-length`}>For how long</label>
            <select id={`${id}-length`} value={length} onChange={(e) => setLength(e.currentTarget.value)}>
              {BAN_LENGTHS.map(([value, words]) => <option key={value} value={value}>{words}</option>)}
            </select>
          </div>
          <label class="choice field">
            <input id={`${id}-address`} type="checkbox" checked={byAddress} onChange={(e) => setByAddress(e.currentTarget.checked)} /> Their address
            ({user.address}), not their name: anyone connecting from it is refused
          </label>
        </>
      )}
      <div class="field">
        <label for={`${id}-text`}>{action === 'warn' ? 'Warning' : 'Reason (they are told it; optional)'}</label>
        <input id={`${id}-text`} autocomplete="off" value={text} onInput={(e) => setText(e.currentTarget.value)} ref={focusOnFirstShow} />
      </div>
      <button type="submit" disabled={state.busy}>{ACTION_WORDS[action]} {user.name}</button>
      <FormNote id={id} state={state} />
    </form>
  );
}

function Bans({ chat }: { chat: PageChat }) {
  const [listed, reload] = useListed(() => chat.moderate((c) => c.bans()));
  if (listed === undefined) return <p class="muted">Looking up the bans…</p>;
  if (!listed.ok) return <p class="error" role="alert">{listed.error}</p>;
  if (listed.value.length === 0) return <p id="no-bans" class="muted">No bans in force.</p>;
  return (
    <ul id="mod-bans" class="mod-list">
      {listed.value.map((b) => <BanItem key={b.id} chat={chat} ban={b} lifted={reload} />)}
    </ul>
  );
}

function BanItem({ chat, ban, lifted }: { chat: PageChat; ban: Ban; lifted: () => void }) {
  const [state, run] = useOutcome();
  const unban = async () => {
    if (await run('', () => chat.moderate((c) => c.unban(ban.id)), '')) lifted();
  };
  return (
    <li data-ban={ban.id}>
      <div class="mod-facts">
        <span class="mod-name">{ban.value}</span>
        <span class="tag">{ban.kind}</span>
        <p class="muted">#{ban.id} · {untilText(ban.until)} · by {ban.by}{ban.reason ? ` · ${ban.reason}` : ''}</p>
        <FormNote id={`unban-${ban.id}`} state={state} />
      </div>
      <button type="button" aria-label={`Unban ${ban.value}`} disabled={state.busy} onClick={unban}>Unban</button>
    </li>
  );
}

function Announce({ chat }: { chat: PageChat }) {
  const [text, setText] = useState('');
  const [state, run] = useOutcome();
  const onSubmit = async (ev: Event) => {
    ev.preventDefault();
    if (await run(text.trim() ? '' : 'Type the announcement first.', () => chat.moderate((c) => c.announce(text.trim())), 'Announced to everyone.')) setText('');
  };
  return (
    <form id="announce" onSubmit={onSubmit}>
      <div class="field">
        <label for="announce-text">To everyone, from Server</label>
        <textarea id="announce-text" rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </div>
      <button type="submit" class="wide" disabled={state.busy}>Announce</button>
      <FormNote id="announce" state={state} />
    </form>
  );
}
