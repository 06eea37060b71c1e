import { sql, type Kysely, type Selectable } from 'kysely';
import { StoreError, type AuditEntry, type AuditRecord, type Ban, type BanKind, type ModerationStore, type Report, type StaffRole } from '../core/ports.js';
import { runQuery, type EngineErrors } from './engine.js';
import type { BansTable, ReportsTable, Schema } from './schema.js';

/** Staff roles, bans, admin tokens and the audit trail (schema v6), reports (v9), in Kysely's query builder. */
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

  auditLog(limit: number, before?: number): Promise<AuditRecord[]> {
    return runQuery(this.errors, async () => {
      let query = this.db.selectFrom('audit').select(['id', 'at', 'actor', 'action', 'target', 'detail']);
      if (before !== undefined) query = query.where('id', '<', before);
      const rows = await query.orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => ({ ...r, at: new Date(r.at) }));
    });
  }

  addReport(report: Omit<Report, 'id' | 'closed'>): Promise<Report> {
    return runQuery(this.errors, async () => {
      const row = await this.db
        .insertInto('reports')
        .values({
          at: report.at.toISOString(), reporter: report.reporter, msg_id: report.msgId, msg_from: report.from, msg_to: report.to,
          msg_text: report.text, reason: report.reason, closed_by: null, closed_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { ...report, id: row.id, closed: undefined };
    });
  }

  reports(limit: number): Promise<Report[]> {
    return runQuery(this.errors, async () => {
      const rows = await this.db.selectFrom('reports').selectAll().orderBy(sql`closed_by is not null`).orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toReport);
    });
  }

  closeReport(id: number, by: string, at: Date): Promise<Report | undefined> {
    return runQuery(this.errors, () =>
      this.db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
        if (row && row.closed_by === null) await trx.updateTable('reports').set({ closed_by: by, closed_at: at.toISOString() }).where('id', '=', id).execute();
        return row && toReport(row);
      }),
    );
  }
}

function toReport(r: Selectable<ReportsTable>): Report {
  return {
    id: r.id, at: new Date(r.at), reporter: r.reporter, msgId: r.msg_id, from: r.msg_from, to: r.msg_to, text: r.msg_text, reason: r.reason,
    closed: r.closed_by === null ? undefined : { by: r.closed_by, at: new Date(r.closed_at!) },
  };
}

function toBan(r: Selectable<BansTable>): Ban {
  return { id: r.id, kind: r.kind as BanKind, value: r.value, until: r.until === null ? undefined : new Date(r.until), reason: r.reason, by: r.by, at: new Date(r.at) };
}
