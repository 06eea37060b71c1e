import { ErrorCode, HcpError, utf8Encode, type ExtensionFields } from '../../protocol/index.js';
import { hashPassword, verifyPassword } from '../accounts/passwords.js';
import type { LoginThrottle } from './login-throttle.js';
import { guard } from './store-errors.js';
import { PRESENCE_STATUSES, type Account, type AccountStore, type PresenceStatus, type Profile } from './ports.js';

/** Passwords are 8 to 256 characters (docs/protocol.md §10.3). */
const PASSWORD_CHARS = { min: 8, max: 256 };
/** Profile texts, in UTF-8 bytes. */
const PROFILE_BYTES = { displayName: 64, about: 1000, statusMessage: 200 };

/**
 * Accounts and profiles as the chat core uses them (docs/protocol.md §10.3): password checks with
 * throttling, and the rules of what may be stored. The store behind it is an interface; a failure
 * of it becomes STORE_FAILED for that request only.
 */
export class Accounts {
  /**
   * The keys of the registered names, loaded at start and kept with each change: a proposal is
   * checked against it without a query (this server is the only writer of its store).
   */
  private readonly registered = new Set<string>();

  constructor(
    private readonly store: AccountStore,
    private readonly throttle: LoginThrottle,
  ) {}

  /** Writes in flight that nobody waits for (last-seen times): awaited before the store closes. */
  private readonly pending = new Set<Promise<void>>();

  /** Notes that `key`'s user was online until now; a failure is only logged: nobody asked for it. */
  seen(key: string, onError: (err: unknown) => void): void {
    const write = this.store.seen(key, new Date()).catch(onError).finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  /** Resolves when the writes in flight are done. */
  async settle(): Promise<void> {
    await Promise.all(this.pending);
  }

  async load(): Promise<void> {
    for (const key of await guard(this.store.keys())) this.registered.add(key);
  }

  isRegistered(key: string): boolean {
    return this.registered.has(key);
  }

  /** The account of `key`, if the name is registered. */
  find(key: string): Promise<Account | undefined> {
    return guard(this.store.get(key));
  }

  /** Checks a login; LOGIN_THROTTLED while the account or address must wait, LOGIN_FAILED for a wrong name or password. */
  async login(key: string, password: string, address: string): Promise<Account> {
    const wait = this.throttle.waitMs(key, address);
    if (wait > 0) throw new HcpError(ErrorCode.LOGIN_THROTTLED, `too many failed logins: try again in ${Math.ceil(wait / 1000)} s`);
    const account = await this.find(key);
    if (!account || !(await verifyPassword(password, account.password))) {
      this.throttle.failed(key, address);
      throw new HcpError(ErrorCode.LOGIN_FAILED, 'wrong name or password');
    }
    this.throttle.succeeded(key);
    return account;
  }

  async create(key: string, name: string, password: string): Promise<void> {
    checkPassword(password);
    await guard(this.store.create({ key, name, password: await hashPassword(password) }));
    this.registered.add(key);
  }

  async changePassword(key: string, password: string, newPassword: string, address: string): Promise<void> {
    await this.login(key, password, address);
    checkPassword(newPassword);
    await guard(this.store.setPassword(key, await hashPassword(newPassword)));
  }

  async remove(key: string, password: string, address: string): Promise<void> {
    await this.login(key, password, address);
    await guard(this.store.delete(key));
    this.registered.delete(key);
  }

  async setProfile(key: string, fields: ExtensionFields): Promise<Profile> {
    const changes: { -readonly [K in keyof Profile]?: Profile[K] } = {};
    for (const field of ['displayName', 'about', 'statusMessage'] as const) {
      const value = fields[field];
      if (value === undefined) continue;
      const bytes = utf8Encode(value).length;
      if (bytes > PROFILE_BYTES[field]) throw new HcpError(ErrorCode.PROFILE_INVALID, `${field} is ${bytes} bytes; at most ${PROFILE_BYTES[field]}`);
      changes[field] = value;
    }
    if (fields.status !== undefined) {
      if (!PRESENCE_STATUSES.includes(fields.status as PresenceStatus)) {
        throw new HcpError(ErrorCode.PROFILE_INVALID, `status is one of ${PRESENCE_STATUSES.join(', ')}`);
      }
      changes.status = fields.status as PresenceStatus;
    }
    return guard(this.store.setProfile(key, changes));
  }

  profile(key: string): Promise<Profile | undefined> {
    return guard(this.store.profile(key));
  }
}

function checkPassword(password: string): void {
  const chars = [...password].length;
  if (chars < PASSWORD_CHARS.min || chars > PASSWORD_CHARS.max) {
    throw new HcpError(ErrorCode.PASSWORD_INVALID, `a password is ${PASSWORD_CHARS.min} to ${PASSWORD_CHARS.max} characters`);
  }
}
