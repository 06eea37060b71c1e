import type { Kysely } from 'kysely';
import type { RoomHistory } from '../../protocol/index.js';
import { StoreError, type MembershipRecord, type RoomRecord, type RoomRole, type RoomStore } from '../core/ports.js';
import { runQuery, type EngineErrors } from './engine.js';
import type { Schema } from './schema.js';

/** Rooms and memberships (schema v3, v7), written once in Kysely's query builder for any engine it speaks. */
export class KyselyRoomStore implements RoomStore {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly errors: EngineErrors,
  ) {}

  load(): ReturnType<RoomStore['load']> {
    return runQuery(this.errors, async () => {
      const rooms = await this.db.selectFrom('rooms').selectAll().orderBy('room_key').execute();
      const memberships = await this.db
        .selectFrom('memberships')
        .innerJoin('accounts', 'accounts.name_key', 'memberships.account_key')
        .select(['memberships.room_key', 'memberships.account_key', 'memberships.role', 'memberships.first_message_id', 'accounts.name'])
        .orderBy('memberships.joined_at')
        .execute();
      return {
        rooms: rooms.map((r) => ({ key: r.room_key, name: r.name, topic: r.topic, private: r.private === 1, history: r.history as RoomHistory, createdAt: new Date(r.created_at) })),
        memberships: memberships.map((m) => ({ room: m.room_key, account: m.account_key, role: m.role as RoomRole, from: Number(m.first_message_id), name: m.name })),
      };
    });
  }

  create(room: RoomRecord, owner: string): Promise<void> {
    return runQuery(
      this.errors,
      () =>
        this.db.transaction().execute(async (trx) => {
          const at = room.createdAt.toISOString();
          await trx.insertInto('rooms').values({ room_key: room.key, name: room.name, topic: room.topic, private: room.private ? 1 : 0, history: room.history, created_at: at }).execute();
          await trx.insertInto('memberships').values({ room_key: room.key, account_key: owner, role: 'owner', joined_at: at }).execute();
        }),
      (err) => (this.errors.isUniqueViolation(err) ? new StoreError('ROOM_TAKEN', `a room called ${room.name} exists already`) : undefined),
    );
  }

  update(key: string, changes: { topic?: string; private?: boolean; history?: RoomHistory }): Promise<void> {
    return runQuery(this.errors, () =>
      this.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('rooms')
          .set({
            ...(changes.topic !== undefined && { topic: changes.topic }),
            ...(changes.private !== undefined && { private: changes.private ? 1 : 0 }),
            ...(changes.history !== undefined && { history: changes.history }),
          })
          .where('room_key', '=', key)
          .execute();
        if (changes.history !== undefined) await trx.updateTable('memberships').set({ first_message_id: 0 }).where('room_key', '=', key).execute();
      }),
    );
  }

  delete(key: string): Promise<void> {
    // its memberships go with it (foreign key, on delete cascade)
    return runQuery(this.errors, async () => {
      await this.db.deleteFrom('rooms').where('room_key', '=', key).execute();
    });
  }

  setMembers(records: readonly MembershipRecord[]): Promise<void> {
    return runQuery(this.errors, () =>
      this.db.transaction().execute(async (trx) => {
        const at = new Date().toISOString();
        for (const m of records) {
          await trx
            .insertInto('memberships')
            .values({ room_key: m.room, account_key: m.account, role: m.role, joined_at: at, first_message_id: m.from ?? 0 })
            .onConflict((oc) => oc.columns(['room_key', 'account_key']).doUpdateSet({ role: m.role }))
            .execute();
        }
      }),
    );
  }

  removeMember(room: string, account: string): Promise<void> {
    return runQuery(this.errors, async () => {
      await this.db.deleteFrom('memberships').where('room_key', '=', room).where('account_key', '=', account).execute();
    });
  }
}
