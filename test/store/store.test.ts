import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreError, type Store } from '../../src/server/core/ports.js';
import { SCHEMA_VERSION } from '../../src/server/store/migrations.js';
import { DATABASE_FILE, LOCK_WAIT_MS, openSqliteStore, openStore } from '../../src/server/store/sqlite.js';
import { passwordRecord, storeFixtures } from '../helpers/store.js';

const { opened, folder, cleanups } = storeFixtures();

/** The refusal a promise ends with. */
async function refusal(promise: Promise<unknown>): Promise<StoreError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(StoreError);
  return err as StoreError;
}

describe('the account store (SQLite through Kysely)', () => {
  it('creates an account with a profile showing its name, finds it by key, and refuses the key twice', async () => {
    const store = await opened(':memory:');
    const account = await store.accounts.create({ key: 'alice', name: 'Alice', password: passwordRecord('a') });
    expect(account).toMatchObject({ key: 'alice', name: 'Alice', password: passwordRecord('a') });
    expect(await store.accounts.get('alice')).toEqual(account);
    expect(await store.accounts.get('bob')).toBeUndefined();
    expect(await store.accounts.profile('alice')).toEqual({ displayName: 'Alice', about: '', status: 'available', statusMessage: '' });

    const taken = await refusal(store.accounts.create({ key: 'alice', name: 'ALICE', password: passwordRecord('b') }));
    expect(taken.code).toBe('NAME_TAKEN');
    expect(taken.message).toContain('ALICE');
    expect((await store.accounts.get('alice'))?.password).toEqual(passwordRecord('a'));
  });

  it('changes a password and a profile, field by field; refuses both for an unknown key', async () => {
    const store = await opened(':memory:');
    await store.accounts.create({ key: 'bob', name: 'Bob', password: passwordRecord('old') });
    await store.accounts.setPassword('bob', passwordRecord('new'));
    expect((await store.accounts.get('bob'))?.password).toEqual(passwordRecord('new'));

    expect(await store.accounts.setProfile('bob', { status: 'away', statusMessage: 'back at 3' })).toEqual({ displayName: 'Bob', about: '', status: 'away', statusMessage: 'back at 3' });
    expect(await store.accounts.setProfile('bob', { displayName: 'Bobby 🤠', about: 'Howdy.\nFrom Worcester.' })).toEqual({ displayName: 'Bobby 🤠', about: 'Howdy.\nFrom Worcester.', status: 'away', statusMessage: 'back at 3' });
    expect(await store.accounts.setProfile('bob', {})).toMatchObject({ displayName: 'Bobby 🤠' });

    expect((await refusal(store.accounts.setPassword('nobody', passwordRecord()))).code).toBe('NO_SUCH_ACCOUNT');
    expect((await refusal(store.accounts.setProfile('nobody', { about: 'x' }))).code).toBe('NO_SUCH_ACCOUNT');
    expect(await store.accounts.profile('nobody')).toBeUndefined();
  });

  it('a status outside available / away / busy is refused by the database itself', async () => {
    const store = await opened(':memory:');
    await store.accounts.create({ key: 'carol', name: 'carol', password: passwordRecord() });
    const err = await refusal(store.accounts.setProfile('carol', { status: 'asleep' as 'away' }));
    expect(err.message).toMatch(/CHECK constraint/);
    expect((await store.accounts.profile('carol'))?.status).toBe('available');
  });

  it('deletes an account with its profile; the name can then be registered again', async () => {
    const store = await opened(':memory:');
    await store.accounts.create({ key: 'dave', name: 'dave', password: passwordRecord() });
    await store.accounts.setProfile('dave', { about: 'gone soon' });
    expect(await store.accounts.delete('dave')).toBe(true);
    expect(await store.accounts.delete('dave')).toBe(false);
    expect(await store.accounts.get('dave')).toBeUndefined();
    expect(await store.accounts.profile('dave')).toBeUndefined();
    await store.accounts.create({ key: 'dave', name: 'Dave', password: passwordRecord() });
    expect(await store.accounts.profile('dave')).toMatchObject({ displayName: 'Dave', about: '' });
  });
});

describe('the data folder', () => {
  it('is created on first start with howdy.db in WAL mode at the current schema, and keeps what was written', async () => {
    const data = join(folder(), 'nested', 'howdy-data');
    const first = await openStore({ data });
    expect(first.location).toBe(join(data, DATABASE_FILE));
    await first.accounts.create({ key: 'erin', name: 'Erin', password: passwordRecord('e') });
    await first.accounts.setProfile('erin', { status: 'busy' });
    await first.close();

    const raw = new Database(join(data, DATABASE_FILE), { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.prepare('select version from schema_version').all()).toEqual([{ version: SCHEMA_VERSION }]);
    raw.close();

    const again = await opened(data);
    expect(await again.accounts.get('erin')).toMatchObject({ name: 'Erin', password: passwordRecord('e') });
    expect(await again.accounts.profile('erin')).toMatchObject({ status: 'busy' });
  });

  it(':memory: keeps nothing and writes no file', async () => {
    const store = await opened(':memory:');
    expect(store.location).toBe('memory');
    await store.accounts.create({ key: 'x', name: 'x', password: passwordRecord() });
    expect(existsSync(':memory:')).toBe(false);
    expect(existsSync(DATABASE_FILE)).toBe(false);
  });

  it('refuses a database a newer Howdy wrote, saying which versions, and leaves it as it was', async () => {
    const data = folder();
    await (await openStore({ data })).close();
    const raw = new Database(join(data, DATABASE_FILE));
    raw.prepare('update schema_version set version = ?').run(SCHEMA_VERSION + 1);
    raw.close();
    const err = await refusal(openStore({ data }));
    expect(err.code).toBe('SCHEMA_TOO_NEW');
    expect(err.message).toBe(`${join(data, DATABASE_FILE)} has schema version ${SCHEMA_VERSION + 1}, newer than this Howdy knows (${SCHEMA_VERSION}): run the newer Howdy that wrote it, or start from a backup this one made`);
    const after = new Database(join(data, DATABASE_FILE), { readonly: true });
    expect(after.prepare('select version from schema_version').get()).toEqual({ version: SCHEMA_VERSION + 1 });
    after.close();
  });

  it('refuses a file that is not a database', async () => {
    const data = folder();
    writeFileSync(join(data, DATABASE_FILE), 'this is not SQLite, just some text that happens to be here\n'.repeat(100));
    const err = await refusal(openStore({ data }));
    expect(err.code).toBe('CORRUPT');
    expect(err.message).toMatch(/howdy\.db is not a Howdy database, or it is damaged \(file is not a database\)/);
  });

  it('refuses a data folder that is a file', async () => {
    const data = join(folder(), 'plain-file');
    writeFileSync(data, 'x');
    const err = await refusal(openStore({ data }));
    expect(err.code).toBe('IO_ERROR');
    expect(err.message).toMatch(/cannot create the data folder .*plain-file/);
  });
});

describe('the disk failing while the server runs', () => {
  /** A store over its own connection, so the test can limit or lock it. */
  async function storeOver(database: Database.Database): Promise<Store> {
    const store = await openSqliteStore(database, 'test.db');
    cleanups.push(() => store.close());
    return store;
  }

  it('a full disk refuses the write that needed it, with the reason, leaves nothing half-written, and reads go on', async () => {
    const data = folder();
    const database = new Database(join(data, DATABASE_FILE));
    database.pragma('journal_mode = WAL');
    const store = await storeOver(database);
    await store.accounts.create({ key: 'first', name: 'first', password: passwordRecord() });
    // SQLite's own size limit fails a write exactly as a full disk does (SQLITE_FULL)
    const pages = database.pragma('page_count', { simple: true }) as number;
    database.pragma(`max_page_count = ${pages}`);
    let err: StoreError | undefined;
    for (let i = 0; i < 1000 && !err; i++) {
      err = await store.accounts
        .create({ key: `user${i}`, name: `user${i}`, password: passwordRecord() })
        .then(() => undefined, (e: StoreError) => e);
    }
    expect(err).toBeInstanceOf(StoreError);
    expect(err!.code).toBe('DISK_FULL');
    expect(err!.message).toMatch(/^test\.db: the disk is full/);
    const accounts = database.prepare('select count(*) as n from accounts').get() as { n: number };
    const profiles = database.prepare('select count(*) as n from profiles').get() as { n: number };
    expect(profiles.n).toBe(accounts.n); // the refused account left neither row
    expect(await store.accounts.get('first')).toMatchObject({ name: 'first' });
    expect(await store.accounts.setProfile('first', { about: 'still here' })).toMatchObject({ about: 'still here' });
  });

  it('a database locked by another process refuses writes after a short wait, with the reason, and reads go on', async () => {
    const data = folder();
    const database = new Database(join(data, DATABASE_FILE), { timeout: LOCK_WAIT_MS });
    database.pragma('journal_mode = WAL');
    const store = await storeOver(database);
    await store.accounts.create({ key: 'first', name: 'first', password: passwordRecord() });
    const other = new Database(join(data, DATABASE_FILE));
    cleanups.push(() => other.close());
    other.exec('begin exclusive');
    const started = Date.now();
    const err = await refusal(store.accounts.create({ key: 'second', name: 'second', password: passwordRecord() }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(LOCK_WAIT_MS - 100);
    expect(err.code).toBe('LOCKED');
    expect(err.message).toMatch(/^test\.db is locked by another process/);
    expect(await store.accounts.get('first')).toMatchObject({ name: 'first' });
    other.exec('rollback');
    await store.accounts.create({ key: 'second', name: 'second', password: passwordRecord() });
  });
});

describe('the room store (SQLite through Kysely)', () => {
  const room = (key: string, extra: { private?: boolean; topic?: string; history?: 'all' | 'joined' } = {}) => ({ key, name: key.toUpperCase(), topic: '', private: false, history: 'all' as const, createdAt: new Date(0), ...extra });

  it('keeps rooms and memberships with roles across a reopen; refuses a room key twice', async () => {
    const data = folder();
    let store = await opened(data);
    for (const name of ['alice', 'bob']) await store.accounts.create({ key: name, name: name.toUpperCase(), password: passwordRecord() });
    await store.rooms.create(room('#tea', { topic: 'oolong', private: true, history: 'joined' }), 'alice');
    expect(await refusal(store.rooms.create(room('#tea'), 'bob'))).toMatchObject({ code: 'ROOM_TAKEN' });
    await store.rooms.setMembers([{ room: '#tea', account: 'bob', role: 'member', from: 7 }]);
    await store.rooms.setMembers([{ room: '#tea', account: 'bob', role: 'operator' }]); // a change, not a second place: it keeps `from`
    await store.rooms.update('#tea', { topic: 'sencha' });
    await store.close();

    store = await opened(data);
    expect(await store.rooms.load()).toEqual({
      rooms: [{ key: '#tea', name: '#TEA', topic: 'sencha', private: true, history: 'joined', createdAt: new Date(0) }],
      memberships: [
        { room: '#tea', account: 'alice', role: 'owner', from: 0, name: 'ALICE' },
        { room: '#tea', account: 'bob', role: 'operator', from: 7, name: 'BOB' },
      ],
    });
    // a change of the setting lets the members then in the room read all of it
    await store.rooms.update('#tea', { history: 'all' });
    expect((await store.rooms.load()).rooms[0]!.history).toBe('all');
    expect((await store.rooms.load()).memberships.map((m) => m.from)).toEqual([0, 0]);
    await store.rooms.removeMember('#tea', 'bob');
    expect((await store.rooms.load()).memberships.map((m) => m.account)).toEqual(['alice']);
  });

  it('a deleted account takes its memberships and the rooms it owned; a deleted room its memberships', async () => {
    const store = await opened(':memory:');
    for (const name of ['alice', 'bob']) await store.accounts.create({ key: name, name, password: passwordRecord() });
    await store.rooms.create(room('#a'), 'alice');
    await store.rooms.create(room('#b'), 'bob');
    await store.rooms.create(room('#c'), 'bob');
    await store.rooms.setMembers([{ room: '#a', account: 'bob', role: 'member' }, { room: '#b', account: 'alice', role: 'member' }]);
    await store.rooms.delete('#c');
    expect(await store.accounts.delete('bob')).toBe(true);
    expect(await store.rooms.load()).toEqual({
      rooms: [expect.objectContaining({ key: '#a' })],
      memberships: [{ room: '#a', account: 'alice', role: 'owner', from: 0, name: 'alice' }],
    });
  });
});
