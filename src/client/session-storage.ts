/**
 * Where a session keeps what should outlive it (a page reload, a restart of the program): the Web
 * Storage API's shape, so a page passes `sessionStorage` as it is. Its values are one server's.
 */
export interface ChatStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A guest's session as the server gave it (SESSION, docs/protocol.md §11): the name it holds, and the token that resumes it. */
export interface GuestToken {
  name: string;
  token: string;
}

const CURSOR_KEY = 'howdy.cursor';
const GUEST_KEY = 'howdy.guest';
const EPOCH_KEY = 'howdy.epoch';

/**
 * What a session keeps across connections and, given a ChatStorage, across its own end: the
 * highest message id seen (§11: a catch-up starts from it) and a guest's resume token (a secret:
 * whoever holds it reads that guest's whispers). A storage that fails (full, forbidden) costs only
 * the keeping: the values live on in memory.
 */
export class LastingState {
  private cursorValue: number | undefined;
  private guestValue: GuestToken | undefined;
  private epochValue: string | undefined;

  constructor(private readonly storage?: ChatStorage) {
    this.epochValue = read(storage, EPOCH_KEY) ?? undefined;
    const cursor = Number(read(storage, CURSOR_KEY) ?? Number.NaN);
    this.cursorValue = Number.isSafeInteger(cursor) && cursor >= 0 ? cursor : undefined;
    this.guestValue = guestOf(read(storage, GUEST_KEY));
  }

  get cursor(): number | undefined {
    return this.cursorValue;
  }

  set cursor(cursor: number | undefined) {
    if (cursor === this.cursorValue) return;
    this.cursorValue = cursor;
    this.write(CURSOR_KEY, cursor === undefined ? undefined : String(cursor));
  }

  /**
   * The history the cursor and token belong to (§11). Another one (a server whose history started
   * anew) makes them meaningless: returns true when they were dropped for it.
   */
  belongTo(epoch: string): boolean {
    if (epoch === this.epochValue) return false;
    const dropped = this.epochValue !== undefined;
    if (dropped) {
      this.cursor = undefined;
      this.guest = undefined;
    }
    this.epochValue = epoch;
    this.write(EPOCH_KEY, epoch);
    return dropped;
  }

  get guest(): GuestToken | undefined {
    return this.guestValue;
  }

  set guest(guest: GuestToken | undefined) {
    this.guestValue = guest;
    this.write(GUEST_KEY, guest === undefined ? undefined : JSON.stringify(guest));
  }

  private write(key: string, value: string | undefined): void {
    try {
      if (value === undefined) this.storage?.removeItem(key);
      else this.storage?.setItem(key, value);
    } catch {
      // kept in memory only
    }
  }
}

function read(storage: ChatStorage | undefined, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function guestOf(stored: string | null): GuestToken | undefined {
  try {
    const value: unknown = JSON.parse(stored ?? 'null');
    if (typeof value !== 'object' || value === null) return undefined;
    const { name, token } = value as Record<string, unknown>;
    return typeof name === 'string' && typeof token === 'string' ? { name, token } : undefined;
  } catch {
    return undefined;
  }
}
