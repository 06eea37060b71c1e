import type { Kysely, Selectable } from 'kysely';
import { StoreError, type AuditEntry, type Ban, type BanKind, type ModerationStore, type StaffRole } from '../core/ports.js';
import { runQuery, type EngineErrors } from './engine.js';
import type { BansTable, Schema } from './schema.js';

/** Staff roles, bans, admin tokens and the audit trail (schema v6), in Kysely's query builder. */
export class KyselyModerationStore implements ModerationStore {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly errors: EngineErrors,
  ) {}

  role(key: string): Promise<StaffRole | undefined> {
    return runQuery(this.errors, async () => {
      const row = await this.db.selectFrom('staff').select('role').where('name_key', '=', key).executeTakeFirst();
      return row?.role as StaffRole | undefined;
    });
  }

  roles(): Promise<Map<string, StaffRole>> {
    return runQuery(this.errors, async () => {
      const rows = await this.db.selectFrom('staff').selectAll().execute();
      return new Map(rows.map((r) => [r.name_key, r.role as StaffRole]));
    });
  }

  setRole(key: string, role: StaffRole | undefined): Promise<void> {
    return runQuery(this.errors, () =>
      this.db.transaction().execute(async (trx) => {
        const account = await trx.selectFrom('accounts').select('name_key').where('name_key', '=', key).executeTakeFirst();
        if (!account) throw new StoreError('NO_SUCH_ACCOUNT', `no account is registered under ${key}`);
        if (role === undefined) await trx.deleteFrom('staff').where('name_key', '=', key).execute();
        else await trx.insertInto('staff').values({ name_key: key, role }).onConflict((oc) => oc.column('name_key').doUpdateSet({ role })).execute();
      }),
    );
  }

  bans(): Promise<Ban[]> {
    return runQuery(this.errors, async () => (await this.db.selectFrom('server_bans').selectAll().orderBy('id').execute()).map(toBan));
  }

  addBan(ban: Omit<Ban, 'id'>): Promise<Ban> {
    return runQuery(this.errors, async () => {
      const row = await this.db
        .insertInto('server_bans')
        .values({ kind: ban.kind, value: ban.value, until: ban.until?.toISOString() ?? null, reason: ban.reason, by: ban.by, at: ban.at.toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { ...ban, id: row.id };
    });
  }

  removeBan(id: number): Promise<boolean> {
    return runQuery(this.errors, async () => {
      const result = await this.db.deleteFrom('server_bans').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  addToken(hash: string, at: Date): Promise<void> {
    return runQuery(this.errors, async () => {
      await this.db.insertInto('admin_tokens').values({ hash, created_at: at.toISOString() }).execute();
    });
  }

  hasToken(hash: string): Promise<boolean> {
    return runQuery(this.errors, async () => (await this.db.selectFrom('admin_tokens').select('hash').where('hash', '=', hash).executeTakeFirst()) !== undefined);
  }

  audit(entry: AuditEntry): Promise<void> {
    return runQuery(this.errors, async () => {
      await this.db.insertInto('audit').values({ ...entry, at: entry.at.toISOString() }).execute();
    });
  }

  auditLog(limit: number): Promise<AuditEntry[]> {
    return runQuery(this.errors, async () => {
      const rows = await this.db.selectFrom('audit').select(['at', 'actor', 'action', 'target', 'detail']).orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => ({ ...r, at: new Date(r.at) }));
    });
  }
}

function toBan(r: Selectable<BansTable>): Ban {
  return { id: r.id, kind: r.kind as BanKind, value: r.value, until: r.until === null ? undefined : new Date(r.until), reason: r.reason, by: r.by, at: new Date(r.at) };
}
