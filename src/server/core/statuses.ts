import { Capability, encodeFrame, MsgType, type ExtensionFields } from '../../protocol/index.js';
import type { Profile } from './ports.js';
import type { Session } from './session.js';

/** What a STATUS entry tells of a user (docs/protocol.md §10.3). */
export type ShownStatus = Pick<Profile, 'status' | 'statusMessage'>;

/** A guest's, a new account's: what nobody is told of. */
export const AVAILABLE: ShownStatus = { status: 'available', statusMessage: '' };

/**
 * Who online is away or busy (STATUS, docs/protocol.md §10.3), kept in memory so that a newcomer's
 * first STATUS costs no query: peers granted `accounts` get it all after their first user list,
 * then every change of someone else. A rare event, off the messages' path: each change is encoded
 * once for all the peers told.
 */
export class Statuses {
  /** The users online whose status is not AVAILABLE, in the order they got it. */
  private readonly shown = new Map<Session, ShownStatus>();
  /** Peers granted `accounts` that had their first STATUS moment: changes reach them. */
  private readonly watchers = new Set<Session>();

  /** `beforeChange` sends the joins and leaves pending (the presence's), so a login's join comes before its status. */
  constructor(private readonly beforeChange: () => void) {}

  /** A peer just got its first user list: everyone not AVAILABLE (itself too), if anyone; each change from now on. */
  listed(peer: Session): void {
    if (!peer.isOpen || !peer.capabilities?.has(Capability.ACCOUNTS)) return;
    this.watchers.add(peer);
    if (this.shown.size > 0) peer.link.send(statusFrame([...this.shown].map(([user, status]) => entryOf(user, status))));
  }

  /** `user` (online) shows `status` now: the watchers but the user (it has its REPLY) are told when that is news. */
  set(user: Session, { status, statusMessage }: ShownStatus): void {
    if (!user.isOpen || !user.registered) return;
    const before = this.shown.get(user) ?? AVAILABLE;
    if (before.status === status && before.statusMessage === statusMessage) return;
    if (status === AVAILABLE.status && statusMessage === AVAILABLE.statusMessage) this.shown.delete(user);
    else this.shown.set(user, { status, statusMessage });
    // taken before the flush: a newcomer listed by it has the change in its first STATUS already
    const told = [...this.watchers].filter((w) => w !== user);
    if (told.length === 0) return;
    this.beforeChange();
    const frame = statusFrame([entryOf(user, { status, statusMessage })]);
    for (const peer of told) peer.link.send(frame);
  }

  /** `user` went offline: its PRESENCE `left` tells the rest. */
  offline(user: Session): void {
    this.shown.delete(user);
    this.watchers.delete(user);
  }
}

function entryOf(user: Session, { status, statusMessage }: ShownStatus): ExtensionFields {
  return { name: user.name!, status, ...(statusMessage !== '' && { statusMessage }) };
}

function statusFrame(entry: ExtensionFields[]): Uint8Array {
  return encodeFrame({ type: MsgType.STATUS, fields: { entry } });
}
