import { sql, type Kysely, type Selectable } from 'kysely';
import type { FirstReadable, HistoryStore, StoredMessage } from '../core/ports.js';
import { runQuery, type EngineErrors } from './engine.js';
import type { MessagesTable, Schema } from './schema.js';

/**
 * History's queries (schema v4), in Kysely's query builder; the full-text index through SQLite's
 * FTS5 (a PostgreSQL store would answer the same calls with its own text search). How appends are
 * kept and the index is fed (apart from the appends, so a burst of messages costs the live path no
 * indexing) is each engine's own (history-sqlite.ts).
 */
export abstract class KyselyHistoryStore implements HistoryStore {
  constructor(
    private readonly db: Kysely<Schema>,
    protected readonly errors: EngineErrors,
  ) {}

  lastId(): Promise<number> {
    return this.query(() => this.counter(this.db, 'last_message_id'));
  }

  epoch(): Promise<string> {
    return runQuery(this.errors, async () => (await this.counter(this.db, 'epoch')).toString(36));
  }

  /** Keeps a turn's messages (ports.ts HistoryStore): the engine's own way, off the live path's cost. */
  abstract append(messages: readonly StoredMessage[]): Promise<void>;

  catchUp({ identity, conversations, from, after, before, limit, except }: { identity: string; conversations: readonly string[]; from?: FirstReadable; after: number; before: number; limit: number; except?: readonly string[] }): Promise<StoredMessage[]> {
    const { open, bounded } = split(conversations, from);
    return this.rows((db) =>
      db.selectFrom('messages').selectAll().$if(!!except?.length, (q) => q.where('sender', 'not in', except!))
        .where('id', '>', after)
        .where('id', '<', before)
        .where((eb) =>
          eb.or([
            ...(open.length > 0 ? [eb('conversation', 'in', open)] : []),
            ...bounded.map(([conversation, first]) => eb.and([eb('conversation', '=', conversation), eb('id', '>=', first)])),
            eb('recipient', '=', identity),
            eb.and([eb('sender', '=', identity), eb('recipient', 'is not', null)]),
          ]),
        )
        .orderBy('id', 'asc')
        .limit(limit),
    );
  }

  whispersOf(identity: string): Promise<string[]> {
    return this.query(async () => {
      const sent = this.db.selectFrom('messages').select('conversation').where('sender', '=', identity).where('recipient', 'is not', null);
      const got = this.db.selectFrom('messages').select('conversation').where('recipient', '=', identity);
      return (await sent.union(got).execute()).map((r) => r.conversation);
    });
  }

  after(conversation: string, after: number, limit: number, except?: readonly string[]): Promise<StoredMessage[]> {
    return this.rows((db) => db.selectFrom('messages').selectAll().$if(!!except?.length, (q) => q.where('sender', 'not in', except!)).where('conversation', '=', conversation).where('id', '>', after).orderBy('id', 'asc').limit(limit));
  }

  before(conversation: string, before: number, limit: number, except?: readonly string[]): Promise<StoredMessage[]> {
    return this.rows((db) => db.selectFrom('messages').selectAll().$if(!!except?.length, (q) => q.where('sender', 'not in', except!)).where('conversation', '=', conversation).where('id', '<', before).orderBy('id', 'desc').limit(limit));
  }

  search({ conversations, from, text, limit, before, except }: { conversations: readonly string[]; from?: FirstReadable; text: string; limit: number; before?: number; except?: readonly string[] }): Promise<StoredMessage[]> {
    const match = ftsQuery(text);
    if (conversations.length === 0 || match === undefined) return Promise.resolve([]);
    const { open, bounded } = split(conversations, from);
    return this.rows((db) => {
      let q = db
        .selectFrom(sql<{ rowid: number }>`messages_fts`.as('f'))
        .innerJoin('messages', 'messages.id', 'f.rowid')
        .selectAll('messages')
        .where(sql<boolean>`messages_fts match ${match}`)
        .where((eb) =>
          eb.or([
            ...(open.length > 0 ? [eb('messages.conversation', 'in', open)] : []),
            ...bounded.map(([conversation, first]) => eb.and([eb('messages.conversation', '=', conversation), eb('messages.id', '>=', first)])),
          ]),
        )
        .where('messages.deleted', '=', 0);
      if (except?.length) q = q.where('messages.sender', 'not in', except); // whom the reader blocks
      if (before !== undefined) q = q.where('f.rowid', '<', before);
      return q.orderBy('f.rowid', 'desc').limit(limit);
    });
  }

  /** A step of the work behind the live path (ports.ts HistoryStore): the engine's own. */
  abstract index(limit: number): Promise<number>;

  unindexed(): Promise<number> {
    return this.query(async () => {
      const from = await this.counter(this.db, 'last_indexed_id');
      const row = await this.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('id', '>', from).executeTakeFirstOrThrow();
      return Number(row.n);
    });
  }

  delete(id: number): Promise<boolean> {
    return this.query(() =>
      this.db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('messages').select(['text', 'deleted']).where('id', '=', id).executeTakeFirst();
        if (!row) return false;
        if (row.deleted === 0) {
          await this.unindex(trx, sql`id = ${id}`);
          await trx.updateTable('messages').set({ text: '', deleted: 1 }).where('id', '=', id).execute();
        }
        return true;
      }),
    );
  }

  get(id: number): Promise<StoredMessage | undefined> {
    return this.query(async () => {
      const row = await this.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toMessage(row);
    });
  }

  prune({ olderThan, keep }: { olderThan?: number; keep?: number }): Promise<number> {
    return this.query(() =>
      this.db.transaction().execute(async (trx) => {
        const doomed: ReturnType<typeof sql<boolean>>[] = [];
        // times grow with ids: what is older is the run of ids before the first message that is not
        if (olderThan !== undefined) doomed.push(sql<boolean>`id < coalesce((select id from messages where at >= ${olderThan} order by id limit 1), (select max(id) + 1 from messages))`);
        if (keep !== undefined) {
          // past the newest `keep` of its conversation
          doomed.push(sql<boolean>`id in (select id from (select id, row_number() over (partition by conversation order by id desc) as n from messages) where n > ${keep})`);
        }
        if (doomed.length === 0) return 0;
        const which = sql.join(doomed, sql` or `);
        await this.unindex(trx, which);
        const result = await sql`delete from messages where ${which}`.execute(trx);
        return Number(result.numAffectedRows ?? 0);
      }),
    );
  }

  /** Takes rows matching `which` out of the search index, where it had them (external content needs the old text). */
  private async unindex(trx: Kysely<Schema>, which: ReturnType<typeof sql>): Promise<void> {
    const indexed = await this.counter(trx, 'last_indexed_id');
    await sql`insert into messages_fts(messages_fts, rowid, text)
      select 'delete', id, text from messages where (${which}) and deleted = 0 and id <= ${indexed}`.execute(trx);
  }

  private async counter(db: Kysely<Schema>, name: string): Promise<number> {
    const row = await db.selectFrom('counters').select('value').where('name', '=', name).executeTakeFirstOrThrow();
    return Number(row.value);
  }

  private rows(query: (db: Kysely<Schema>) => { execute(): Promise<Selectable<MessagesTable>[]> }): Promise<StoredMessage[]> {
    return this.query(async () => (await query(this.db).execute()).map(toMessage));
  }

  /**
   * Runs a query of the history, its engine's failures as StoreErrors. A store that keeps appends
   * apart for a while (SQLite's journal) first brings them into the tables: a query sees every
   * message appended before it.
   */
  protected query<T>(run: () => Promise<T>): Promise<T> {
    return runQuery(this.errors, run);
  }
}

/**
 * A user's search words as an FTS5 query that cannot be malformed: each word quoted (so `"`, `*`,
 * `AND`, `NEAR(` mean nothing special), all of them required; undefined when there is no word.
 */
export function ftsQuery(text: string): string | undefined {
  const words = text.split(/\s+/u).filter(Boolean);
  if (words.length === 0) return undefined;
  return words.map((w) => `"${w.replaceAll('"', '""')}"`).join(' ');
}

/** The conversations read whole, and those read only from an id on (a room whose newcomers read from their join). */
function split(conversations: readonly string[], from: FirstReadable | undefined): { open: string[]; bounded: Array<[string, number]> } {
  const open: string[] = [];
  const bounded: Array<[string, number]> = [];
  for (const c of conversations) {
    const first = from?.get(c) ?? 0;
    if (first > 0) bounded.push([c, first]);
    else open.push(c);
  }
  return { open, bounded };
}

function toMessage(r: Selectable<MessagesTable>): StoredMessage {
  return {
    id: Number(r.id), conversation: r.conversation, at: Number(r.at), sender: r.sender, ...(r.recipient !== null && { recipient: r.recipient }),
    from: r.sender_name, to: r.receiver, text: r.text, deleted: r.deleted === 1,
  };
}
