import type { Kysely, Selectable } from 'kysely';
import { StoreError, type Account, type AccountStore, type PasswordRecord, type PresenceStatus, type Profile } from '../core/ports.js';
import type { AccountsTable, ProfilesTable, Schema } from './schema.js';
import { runQuery, type EngineErrors } from './engine.js';

/** Accounts and profiles, written once in Kysely's query builder for any engine it speaks. */
export class KyselyAccountStore implements AccountStore {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly errors: EngineErrors,
  ) {}

  create(account: { key: string; name: string; password: PasswordRecord }): Promise<Account> {
    const created: Account = { ...account, createdAt: new Date() };
    return this.run(
      () =>
        this.db.transaction().execute(async (trx) => {
          await trx.insertInto('accounts').values({ name_key: account.key, name: account.name, created_at: created.createdAt.toISOString(), ...passwordColumns(account.password) }).execute();
          await trx.insertInto('profiles').values({ name_key: account.key, display_name: account.name, about: '', status: 'available', status_message: '' }).execute();
          return created;
        }),
      (err) => (this.errors.isUniqueViolation(err) ? new StoreError('NAME_TAKEN', `the name ${account.name} is registered already`) : undefined),
    );
  }

  get(key: string): Promise<Account | undefined> {
    return this.run(async () => {
      const row = await this.db.selectFrom('accounts').selectAll().where('name_key', '=', key).executeTakeFirst();
      return row && toAccount(row);
    });
  }

  seen(key: string, at: Date): Promise<void> {
    return this.run(async () => {
      await this.db.updateTable('accounts').set({ last_seen: at.toISOString() }).where('name_key', '=', key).execute();
    });
  }

  keys(): Promise<string[]> {
    return this.run(async () => (await this.db.selectFrom('accounts').select('name_key').execute()).map((row) => row.name_key));
  }

  setPassword(key: string, password: PasswordRecord): Promise<void> {
    return this.run(async () => {
      const result = await this.db.updateTable('accounts').set(passwordColumns(password)).where('name_key', '=', key).executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw noSuchAccount(key);
    });
  }

  delete(key: string): Promise<boolean> {
    // the profile and the memberships go with it (foreign keys, on delete cascade); so do the rooms it owns
    return this.run(() =>
      this.db.transaction().execute(async (trx) => {
        const owned = trx.selectFrom('memberships').select('room_key').where('account_key', '=', key).where('role', '=', 'owner');
        await trx.deleteFrom('rooms').where('room_key', 'in', owned).execute();
        const result = await trx.deleteFrom('accounts').where('name_key', '=', key).executeTakeFirst();
        return result.numDeletedRows > 0n;
      }),
    );
  }

  profile(key: string): Promise<Profile | undefined> {
    return this.run(async () => {
      const row = await this.db.selectFrom('profiles').selectAll().where('name_key', '=', key).executeTakeFirst();
      return row && toProfile(row);
    });
  }

  setProfile(key: string, changes: Partial<Profile>): Promise<Profile> {
    return this.run(() =>
      this.db.transaction().execute(async (trx) => {
        const columns = profileColumns(changes);
        if (Object.keys(columns).length > 0) await trx.updateTable('profiles').set(columns).where('name_key', '=', key).execute();
        const row = await trx.selectFrom('profiles').selectAll().where('name_key', '=', key).executeTakeFirst();
        if (!row) throw noSuchAccount(key);
        return toProfile(row);
      }),
    );
  }

  private run<T>(query: () => Promise<T>, special?: (err: unknown) => StoreError | undefined): Promise<T> {
    return runQuery(this.errors, query, special);
  }
}

function noSuchAccount(key: string): StoreError {
  return new StoreError('NO_SUCH_ACCOUNT', `no account is registered under ${key}`);
}

function passwordColumns(p: PasswordRecord) {
  return { password_scheme: p.scheme, scrypt_n: p.N, scrypt_r: p.r, scrypt_p: p.p, password_keylen: p.keylen, password_salt: p.salt, password_hash: p.hash };
}

function toAccount(row: Selectable<AccountsTable>): Account {
  return {
    key: row.name_key,
    name: row.name,
    createdAt: new Date(row.created_at),
    lastSeen: row.last_seen === null ? undefined : new Date(row.last_seen),
    password: { scheme: row.password_scheme as 'scrypt', N: row.scrypt_n, r: row.scrypt_r, p: row.scrypt_p, keylen: row.password_keylen, salt: row.password_salt, hash: row.password_hash },
  };
}

function profileColumns(changes: Partial<Profile>): Partial<ProfilesTable> {
  const columns: Partial<ProfilesTable> = {};
  if (changes.displayName !== undefined) columns.display_name = changes.displayName;
  if (changes.about !== undefined) columns.about = changes.about;
  if (changes.status !== undefined) columns.status = changes.status;
  if (changes.statusMessage !== undefined) columns.status_message = changes.statusMessage;
  return columns;
}

function toProfile(row: Selectable<ProfilesTable>): Profile {
  return { displayName: row.display_name, about: row.about, status: row.status as PresenceStatus, statusMessage: row.status_message };
}
