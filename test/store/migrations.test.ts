import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/server/core/ports.js';
import { migrate, MIGRATIONS, SCHEMA_VERSION, type Migration } from '../../src/server/store/migrations.js';
import { DATABASE_FILE, openStore } from '../../src/server/store/sqlite.js';
import { passwordRecord, tempFolder } from '../helpers/store.js';

/** A next version as a later Howdy would add it: a table, and a column on accounts. */
const v2: Migration = {
  version: SCHEMA_VERSION + 1,
  async up(db) {
    await db.schema.createTable('bans').addColumn('name_key', 'text', (c) => c.primaryKey()).execute();
    await db.schema.alterTable('accounts').addColumn('home_room', 'text').execute();
  },
};

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A data folder holding one account at this Howdy's schema, and a raw Kysely over its file. */
async function existingDatabase(): Promise<{ file: string; db: Kysely<any> }> {
  const data = tempFolder();
  cleanups.push(data.remove);
  const store = await openStore({ data: data.path });
  await store.accounts.create({ key: 'alice', name: 'Alice', password: passwordRecord() });
  await store.close();
  const file = join(data.path, DATABASE_FILE);
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(file) }) });
  cleanups.push(() => db.destroy());
  return { file, db };
}

const version = async (db: Kysely<any>) => (await db.selectFrom('schema_version').select('version').executeTakeFirstOrThrow()).version as number;

describe('schema migrations', () => {
  it('a new database runs every migration once; opening it again runs none', async () => {
    const { db } = await existingDatabase();
    expect(await version(db)).toBe(SCHEMA_VERSION);
    expect(await migrate(db, 'x')).toBe(SCHEMA_VERSION);
    expect(await db.selectFrom('schema_version').selectAll().execute()).toHaveLength(1);
    // in order of version (v6 and v7 are added by separate branches)
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
  });

  it('a later version runs only its own step, on the data already there', async () => {
    const { db } = await existingDatabase();
    expect(await migrate(db, 'x', [...MIGRATIONS, v2])).toBe(SCHEMA_VERSION);
    expect(await version(db)).toBe(v2.version);
    expect(await db.selectFrom('accounts').select(['name', 'home_room']).execute()).toEqual([{ name: 'Alice', home_room: null }]);
    await db.insertInto('bans').values({ name_key: 'mallory' }).execute();
    expect(await migrate(db, 'x', [...MIGRATIONS, v2])).toBe(v2.version);
    // and this Howdy, which knows only the versions before it, now refuses the database
    const err = await migrate(db, 'the.db').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({
      code: 'SCHEMA_TOO_NEW',
      message: expect.stringMatching(new RegExp(`^the\\.db has schema version ${v2.version}, newer than this Howdy knows \\(${SCHEMA_VERSION}\\)`)),
    });
  });

  it('a database written by the Howdy before last-seen times (v1) opens, is brought to v2, and keeps its accounts', async () => {
    const data = tempFolder();
    cleanups.push(data.remove);
    const file = join(data.path, DATABASE_FILE);
    const old = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(file) }) });
    await migrate(old, 'x', MIGRATIONS.slice(0, 1));
    const record = passwordRecord();
    await old.insertInto('accounts').values({
      name_key: 'alice', name: 'Alice', created_at: new Date(0).toISOString(), password_scheme: record.scheme, scrypt_n: record.N,
      scrypt_r: record.r, scrypt_p: record.p, password_keylen: record.keylen, password_salt: record.salt, password_hash: record.hash,
    }).execute();
    await old.destroy();
    const store = await openStore({ data: data.path });
    cleanups.push(() => store.close());
    expect(await store.accounts.get('alice')).toMatchObject({ name: 'Alice', lastSeen: undefined });
    const at = new Date('2026-11-28T02:00:00Z');
    await store.accounts.seen('alice', at);
    expect((await store.accounts.get('alice'))!.lastSeen).toEqual(at);
  });

  it('a step that fails leaves the database as it was: no half-made schema, the version unchanged', async () => {
    const { db } = await existingDatabase();
    const broken: Migration = {
      version: SCHEMA_VERSION + 1,
      async up(trx) {
        await v2.up(trx);
        await trx.schema.createTable('bans').addColumn('x', 'text').execute(); // exists: fails
      },
    };
    await expect(migrate(db, 'x', [...MIGRATIONS, broken])).rejects.toThrow(/"bans" already exists/);
    expect(await version(db)).toBe(SCHEMA_VERSION);
    const tables = await db.introspection.getTables();
    expect(tables.map((t) => t.name)).not.toContain('bans');
    expect(tables.find((t) => t.name === 'accounts')!.columns.map((c) => c.name)).not.toContain('home_room');
  });
});
