import { nameKey, type ExtensionFields } from '../protocol/index.js';
import { STATUSES, type Status } from './commands.js';

/** Someone's status as the people lists show it (docs/protocol.md §10.3). */
export interface UserStatus {
  status: Status;
  /** Empty when none. */
  message: string;
}

/** Anyone the server told nothing of. */
export const AVAILABLE: UserStatus = { status: 'available', message: '' };

/**
 * Who online is away or busy, from STATUS frames (docs/protocol.md §10.3), by the name's key;
 * anyone not in it is available. The server tells all after the user list, then each change; a
 * user who leaves is dropped here.
 */
export class UserStatuses {
  private readonly byKey = new Map<string, UserStatus>();

  /** `name`'s status: available unless told otherwise. */
  of(name: string): UserStatus {
    return this.byKey.get(nameKey(name)) ?? AVAILABLE;
  }

  /** Applies STATUS entries (NAME, STATUS, STATUS_MESSAGE) or a profile with its NAME; the names whose status changed. */
  apply(entries: readonly ExtensionFields[]): string[] {
    const changed: string[] = [];
    for (const { name, status, statusMessage = '' } of entries) {
      const known = STATUSES.find((s) => s === status);
      if (name === undefined || known === undefined) continue; // a status of a later version: not shown
      const before = this.of(name);
      if (before.status === known && before.message === statusMessage) continue;
      if (known === 'available' && statusMessage === '') this.byKey.delete(nameKey(name));
      else this.byKey.set(nameKey(name), { status: known, message: statusMessage });
      changed.push(name);
    }
    return changed;
  }

  /** Drops those who went offline; the names among them that were not available. */
  forget(left: readonly string[]): string[] {
    return left.filter((name) => this.byKey.delete(nameKey(name)));
  }
}
