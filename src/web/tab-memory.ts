import type { ChatStorage } from '../client/index.js';

const SHOWN_KEY = 'howdy.web.shown';
const ACCOUNT_KEY = 'howdy.web.account';

/** The tab's sessionStorage, when the browser lets the page have it (it may not, in a sandboxed frame). */
export function tabStorage(): ChatStorage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

/**
 * What the page keeps for its tab beyond a reload, beside what the session keeps there (the last
 * message seen and a guest's token: docs/protocol.md §11): the conversation shown, and the name of
 * the account logged in to, for the log-in form. Never a password. A storage that fails costs only
 * the keeping.
 */
export class TabMemory {
  constructor(private readonly storage: ChatStorage | undefined) {}

  get shown(): string | undefined {
    return this.read(SHOWN_KEY);
  }

  set shown(conversation: string | undefined) {
    this.write(SHOWN_KEY, conversation);
  }

  get account(): string | undefined {
    return this.read(ACCOUNT_KEY);
  }

  set account(name: string | undefined) {
    this.write(ACCOUNT_KEY, name);
  }

  private read(key: string): string | undefined {
    try {
      return this.storage?.getItem(key) ?? undefined;
    } catch {
      return undefined;
    }
  }

  private write(key: string, value: string | undefined): void {
    try {
      if (value === undefined) this.storage?.removeItem(key);
      else this.storage?.setItem(key, value);
    } catch {
      // kept for this page only
    }
  }
}
