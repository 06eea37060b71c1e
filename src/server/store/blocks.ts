import type { Kysely } from 'kysely';
import { type BlockRecord, type BlockStore } from '../core/ports.js';
import { runQuery, type EngineErrors } from './engine.js';
import type { Schema } from './schema.js';

/** The accounts each account blocks (schema v8), in Kysely's query builder. */
export class KyselyBlockStore implements BlockStore {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly errors: EngineErrors,
  ) {}

  all(): Promise<BlockRecord[]> {
    return runQuery(this.errors, async () => {
      const rows = await this.db
        .selectFrom('blocks')
        .innerJoin('accounts', 'accounts.name_key', 'blocks.blocked_key')
        .select(['blocks.blocker_key', 'blocks.blocked_key', 'accounts.name'])
        .orderBy('blocks.at')
        .execute();
      return rows.map((r) => ({ blocker: r.blocker_key, blocked: r.blocked_key, name: r.name }));
    });
  }

  add(blocker: string, blocked: string, at: Date): Promise<void> {
    return runQuery(this.errors, async () => {
      await this.db.insertInto('blocks').values({ blocker_key: blocker, blocked_key: blocked, at: at.toISOString() }).onConflict((oc) => oc.doNothing()).execute();
    });
  }

  remove(blocker: string, blocked: string): Promise<void> {
    return runQuery(this.errors, async () => {
      await this.db.deleteFrom('blocks').where('blocker_key', '=', blocker).where('blocked_key', '=', blocked).execute();
    });
  }
}
