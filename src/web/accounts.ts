import type { ChatClient } from '../client/index.js';
import { Capability, HcpError, nameKey } from '../protocol/index.js';

/** A name the user takes with its password: by logging in, or by creating its account (`create`). */
export interface Credentials {
  name: string;
  password: string;
  create: boolean;
}

type Answer = Awaited<ReturnType<ChatClient['register']>>;

/**
 * Makes a fresh connection speak accounts (docs/protocol.md §10.3) for the page: it asks for the
 * capability before anything else is sent, and takes a name the way the user chose. The shared
 * session takes its name with `register` (a proposal), at the start and again after every
 * reconnect; while `credentials()` holds a password for that name, `register` logs in (or creates
 * the account) instead. So a user who logged in is logged in again after a drop, by the session's
 * own retries, and the session needs to know nothing of passwords.
 * Resolves with the capabilities granted (none from a classic server, after a short wait).
 */
export function speakAccounts(client: ChatClient, credentials: () => Credentials | undefined): Promise<string[]> {
  const granted = client.requestCapabilities([Capability.ACCOUNTS]);
  const propose = client.register.bind(client);
  client.register = async (name: string): Promise<Answer> => {
    const given = credentials();
    if (given === undefined || nameKey(given.name) !== nameKey(name)) return propose(name);
    await granted;
    return takeWithPassword(client, given);
  };
  return granted;
}

/** Logs in (or creates the account), answering as `register` does: a refusal carries the server's code. */
function takeWithPassword(client: ChatClient, { name, password, create }: Credentials): Promise<Answer> {
  const taken = (create ? client.createAccount(password, name) : client.login(name, password)).then(
    (): Answer => ({ accepted: true, name: client.name ?? name }),
    (err: unknown): Answer => ({ accepted: false, code: err instanceof HcpError ? err.code : undefined, reason: (err as Error).message }),
  );
  // a request is never answered on a connection that closed: the session then reconnects
  const closed = client.once('close').then((e): Answer => ({ accepted: false, reason: e.reason }));
  return Promise.race([taken, closed]);
}
