import { randomInt } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { BAN_KINDS, PRESENCE_STATUSES, ROOM_ROLES, STAFF_ROLES, StoreError } from '../core/ports.js';
import { LOCATOR_SPAN } from './locator.js';

/**
 * The schema, as the steps that build it: each migration takes the database from the version
 * before it to its own, and runs once, at start, in the same transaction as the version it sets.
 * A new version is a new entry at the end; an entry, once released, never changes.
 */
export interface Migration {
  readonly version: number;
  up(db: Kysely<any>): Promise<void>;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1, // accounts and their profiles
    async up(db) {
      await db.schema
        .createTable('accounts')
        .addColumn('name_key', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('password_scheme', 'text', (c) => c.notNull())
        .addColumn('scrypt_n', 'integer', (c) => c.notNull())
        .addColumn('scrypt_r', 'integer', (c) => c.notNull())
        .addColumn('scrypt_p', 'integer', (c) => c.notNull())
        .addColumn('password_keylen', 'integer', (c) => c.notNull())
        .addColumn('password_salt', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      const statuses = sql.join(PRESENCE_STATUSES.map((s) => sql.lit(s)));
      await db.schema
        .createTable('profiles')
        .addColumn('name_key', 'text', (c) => c.primaryKey().references('accounts.name_key').onDelete('cascade'))
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('about', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_message', 'text', (c) => c.notNull())
        .addCheckConstraint('profiles_status_known', sql`status in (${statuses})`)
        .execute();
    },
  },
  {
    version: 2, // when each registered user was last online
    async up(db) {
      await db.schema.alterTable('accounts').addColumn('last_seen', 'text').execute();
    },
  },
  {
    version: 3, // rooms, and the memberships of registered users
    async up(db) {
      await db.schema
        .createTable('rooms')
        .addColumn('room_key', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('private', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      const roles = sql.join(ROOM_ROLES.map((r) => sql.lit(r)));
      await db.schema
        .createTable('memberships')
        .addColumn('room_key', 'text', (c) => c.notNull().references('rooms.room_key').onDelete('cascade'))
        .addColumn('account_key', 'text', (c) => c.notNull().references('accounts.name_key').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('joined_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('memberships_pk', ['room_key', 'account_key'])
        .addCheckConstraint('memberships_role_known', sql`role in (${roles})`)
        .execute();
      await db.schema.createIndex('memberships_by_account').on('memberships').column('account_key').execute();
    },
  },
  {
    version: 4, // history: every message said, and a full-text index that may trail it
    async up(db) {
      await db.schema
        .createTable('messages')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('conversation', 'text', (c) => c.notNull())
        .addColumn('at', 'integer', (c) => c.notNull())
        .addColumn('sender', 'text', (c) => c.notNull())
        .addColumn('recipient', 'text')
        .addColumn('sender_name', 'text', (c) => c.notNull())
        .addColumn('receiver', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('messages_by_conversation').on('messages').columns(['conversation', 'id']).execute();
      // a user's whispers, sent and received, for catching up
      await db.schema.createIndex('messages_by_sender').on('messages').columns(['sender', 'id']).where(sql.ref('recipient'), 'is not', null).execute();
      await db.schema.createIndex('messages_by_recipient').on('messages').columns(['recipient', 'id']).where(sql.ref('recipient'), 'is not', null).execute();
      // counters that outlive the rows they count (the last id given, the last id indexed)
      await db.schema.createTable('counters').addColumn('name', 'text', (c) => c.primaryKey()).addColumn('value', 'integer', (c) => c.notNull()).execute();
      // the history's identity: a database made anew (or kept in memory only) gives ids from 1 again
      const epoch = randomInt(1, 2 ** 48);
      await db.insertInto('counters').values([{ name: 'last_message_id', value: 0 }, { name: 'last_indexed_id', value: 0 }, { name: 'epoch', value: epoch }]).execute();
      // external content: the index holds no copy of the texts, only what finds them
      await sql`create virtual table messages_fts using fts5(text, content='messages', content_rowid='id')`.execute(db);
    },
  },
  {
    version: 5, // history's journal: each turn's messages in one row, moved into `messages` behind the live path
    async up(db) {
      await db.schema
        .createTable('journal')
        .addColumn('first', 'integer', (c) => c.primaryKey())
        .addColumn('last', 'integer', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();
    },
  },
  {
    version: 6, // moderation: staff roles, the server's bans, admin API tokens, the audit trail
    async up(db) {
      const roles = sql.join(STAFF_ROLES.map((r) => sql.lit(r)));
      await db.schema
        .createTable('staff')
        .addColumn('name_key', 'text', (c) => c.primaryKey().references('accounts.name_key').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addCheckConstraint('staff_role_known', sql`role in (${roles})`)
        .execute();
      const kinds = sql.join(BAN_KINDS.map((k) => sql.lit(k)));
      await db.schema
        .createTable('server_bans')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('until', 'text') // null: for ever
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('by', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addCheckConstraint('server_bans_kind_known', sql`kind in (${kinds})`)
        .execute();
      // only a token's SHA-256: the token itself is shown once, by `howdy admin token`
      await db.schema
        .createTable('admin_tokens')
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('audit')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
    },
  },
  {
    version: 7, // what a room's newcomers read of its history, and the first message id each membership may read (0: all)
    async up(db) {
      await db.schema.alterTable('rooms').addColumn('history', 'text', (c) => c.notNull().defaultTo('all')).execute();
      await db.schema.alterTable('memberships').addColumn('first_message_id', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
  },
  {
    version: 8, // the accounts each account blocks (docs/protocol.md §10.7); gone with either account
    async up(db) {
      await db.schema
        .createTable('blocks')
        .addColumn('blocker_key', 'text', (c) => c.notNull().references('accounts.name_key').onDelete('cascade'))
        .addColumn('blocked_key', 'text', (c) => c.notNull().references('accounts.name_key').onDelete('cascade'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('blocks_pk', ['blocker_key', 'blocked_key'])
        .execute();
    },
  },
  {
    version: 9, // reports of messages to the moderators, each with the message as it was
    async up(db) {
      await db.schema
        .createTable('reports')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('reporter', 'text', (c) => c.notNull())
        .addColumn('msg_id', 'integer', (c) => c.notNull())
        .addColumn('msg_from', 'text', (c) => c.notNull())
        .addColumn('msg_to', 'text', (c) => c.notNull())
        .addColumn('msg_text', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('closed_by', 'text') // null: open
        .addColumn('closed_at', 'text')
        .execute();
    },
  },
  {
    // history in chunks (chunks.ts): a conversation's messages, up to 256 at a time within a block
    // of 4096 ids, in one row; whispers' parties in their own table; the search index holds no text
    version: 10,
    async up(db) {
      await sql`create table chunks (
        id integer primary key, conversation text not null, first integer not null, count integer not null,
        since integer not null, at integer not null, body text not null)`.execute(db);
      await sql`create index chunks_by_conversation on chunks (conversation, id, first)`.execute(db);
      await sql`create table whisper_parties (identity text not null, conversation text not null, primary key (identity, conversation)) without rowid`.execute(db);
      await sql`insert into chunks (id, conversation, first, count, since, at, body)
        select max(id), conversation, min(id), count(*), min(at), max(at),
          json_group_array(json_array(id, conversation, at, sender, recipient, sender_name, receiver, text, deleted) order by id)
        from (select *, id / 4096 as block, (row_number() over (partition by conversation, id / 4096 order by id) - 1) / 256 as part from messages)
        group by conversation, block, part`.execute(db);
      await sql`insert or ignore into whisper_parties (identity, conversation)
        select sender, conversation from messages where recipient is not null
        union select recipient, conversation from messages where recipient is not null`.execute(db);
      await sql`drop table messages_fts`.execute(db);
      await sql`drop table messages`.execute(db);
      // a document a message (rowid: its id), with its conversation's token (chunks.ts searchToken)
      await sql`create virtual table messages_fts using fts5(text, conversation, content='', contentless_delete=1)`.execute(db);
      await sql`update counters set value = 0 where name = 'last_indexed_id'`.execute(db); // indexed anew, behind the live path
    },
  },
  {
    version: 11, // history: turns go from the turn log straight into chunks; the journal's rows are moved there, and it goes
    async up(db) {
      await sql`insert into chunks (id, conversation, first, count, since, at, body)
        select max(id), conversation, min(id), count(*), min(at), max(at), json_group_array(json(row) order by id)
        from (select *, id / 4096 as block, (row_number() over (partition by conversation, id / 4096 order by id) - 1) / 256 as part
          from (select value as row, value ->> 0 as id, value ->> 1 as conversation, value ->> 2 as at from journal, json_each(journal.body)))
        group by conversation, block, part`.execute(db);
      await sql`insert or ignore into whisper_parties (identity, conversation)
        select value ->> 3, value ->> 1 from journal, json_each(journal.body) where value ->> 4 is not null
        union select value ->> 4, value ->> 1 from journal, json_each(journal.body) where value ->> 4 is not null`.execute(db);
      await sql`update counters set value = max(value, (select coalesce(max(last), 0) from journal)) where name = 'last_message_id'`.execute(db);
      // every message up to it is in place (the store's turn log holds what is not)
      await sql`insert into counters (name, value) select 'placed_through', value from counters where name = 'last_message_id'`.execute(db);
      await sql`drop table journal`.execute(db);
    },
  },
  {
    // history: which conversation each message id is in (locator.ts), so that a conversation's chunk
    // may take its messages from across any ids (before, each block of 4096 ids ended them all)
    version: 12,
    async up(db) {
      await sql`create table conversations (no integer primary key, key text not null unique)`.execute(db);
      await sql`create table locators (block integer primary key, nos blob not null)`.execute(db);
      await sql`insert into conversations (key) select distinct conversation from chunks`.execute(db);
      const blocks = new Map<number, Buffer>();
      for (let after = -1; ; ) {
        const { rows } = await sql<{ chunk: number; id: number; no: number }>`
          select c.id as chunk, j.value ->> 0 as id, n.no as no
          from (select id, conversation, body from chunks where id > ${after} order by id limit 1000) c
          join conversations n on n.key = c.conversation, json_each(c.body) j`.execute(db);
        if (rows.length === 0) break;
        for (const { chunk, id, no } of rows) {
          const block = Math.floor(id / LOCATOR_SPAN);
          let nos = blocks.get(block);
          if (!nos) blocks.set(block, (nos = Buffer.alloc(4 * LOCATOR_SPAN)));
          nos.writeUInt32LE(no, 4 * (id % LOCATOR_SPAN));
          after = Math.max(after, chunk);
        }
      }
      for (const [block, nos] of blocks) await sql`insert into locators (block, nos) values (${block}, ${nos})`.execute(db);
    },
  },
];

/** The newest schema this Howdy knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings the database at `where` to the last of `migrations` (this Howdy's schema) and returns the
 * version it was at (0: new), all or nothing. Refuses (SCHEMA_TOO_NEW) a database a newer Howdy
 * wrote: its data would be misread.
 */
export async function migrate(db: Kysely<any>, where: string, migrations: readonly Migration[] = MIGRATIONS): Promise<number> {
  const newest = migrations[migrations.length - 1]!.version;
  return db.transaction().execute(async (trx) => {
    await trx.schema.createTable('schema_version').ifNotExists().addColumn('version', 'integer', (c) => c.notNull()).execute();
    const row = (await trx.selectFrom('schema_version').select('version').executeTakeFirst()) as { version: number } | undefined;
    const found = row?.version ?? 0;
    if (!row) await trx.insertInto('schema_version').values({ version: 0 }).execute();
    if (found > newest) {
      throw new StoreError(
        'SCHEMA_TOO_NEW',
        `${where} has schema version ${found}, newer than this Howdy knows (${newest}): run the newer Howdy that wrote it, or start from a backup this one made`,
      );
    }
    for (const migration of migrations) {
      if (migration.version <= found) continue;
      await migration.up(trx);
      await trx.updateTable('schema_version').set({ version: migration.version }).execute();
    }
    return found;
  });
}
