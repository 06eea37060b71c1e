import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, sql, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely';
import { StoreError, type Store } from '../core/ports.js';
import { KyselyAccountStore } from './accounts.js';
import { runQuery, type EngineErrors } from './engine.js';
import { fileError } from './file-errors.js';
import { claimFolder } from './folder-lock.js';
import { OPEN_MS, SqliteHistoryStore, WAITING_MOST } from './history-sqlite.js';
import { TurnLog } from './turn-log.js';
import { KyselyRoomStore } from './rooms.js';
import { KyselyModerationStore } from './moderation.js';
import { KyselyBlockStore } from './blocks.js';
import { migrate } from './migrations.js';
import type { Schema } from './schema.js';

/** The data folder's database file. */
export const DATABASE_FILE = 'howdy.db';
/** The history's turns between their append and the database (turn-log.ts). */
export const TURN_LOG_FILE = 'history.log';
/** `--data :memory:`: a database in memory, gone when the server stops. */
export const MEMORY = ':memory:';
/**
 * How long a query waits for another process's lock (a second server, a backup's last step)
 * before it is refused. better-sqlite3 waits synchronously, so this is also the longest the
 * server can stall on a lock: short.
 */
export const LOCK_WAIT_MS = 2_000;

/**
 * Opens the store in the data folder `data` (created if missing; `:memory:` keeps nothing): its
 * database in WAL mode (readers, a backup included, never wait for the writer), brought to this
 * Howdy's schema. Every failure is a StoreError whose message is one line saying what is wrong.
 */
export async function openStore({ data, owner = false }: { data: string; owner?: boolean }): Promise<Store> {
  if (data === MEMORY) return openSqliteStore(new Database(MEMORY), 'memory');
  const folder = resolve(data);
  const file = join(folder, DATABASE_FILE);
  prepareFolder(folder, file);
  // the server owns its folder (folder-lock.ts); a backup or a test's writer only shares the database
  const release = owner ? claimFolder(folder, fileError) : () => {};
  let database: Database.Database | undefined;
  try {
    database = new Database(file, { timeout: LOCK_WAIT_MS });
    database.pragma('journal_mode = WAL');
    // commits reach the operating system before they return (a killed server loses nothing), and
    // the disk at checkpoints: a power cut may lose the last moments, at far less cost per turn
    database.pragma('synchronous = NORMAL');
    // only the server keeps a turn log: another process's store would take the server's turns
    // the history's writes go on a thread of their own where there is a core for it: on one, the
    // thread only takes turns with the live path, and costs more than it saves (docs/performance.md)
    const store = await openSqliteStore(database, file, owner ? { turnLog: join(folder, TURN_LOG_FILE), writerThread: availableParallelism() > 1 } : {});
    return { ...store, close: () => store.close().finally(release) };
  } catch (err) {
    release();
    if (err instanceof StoreError) throw err;
    database?.close();
    throw sqliteError(err, file);
  }
}

/**
 * The store over an open database (its owner's settings kept), migrated; `location` names it in
 * messages. The history's turns go through the turn log at `turnLog` (else they wait in memory
 * only); chunks not full wait `openMs` for their place, and at most `waitingMost` messages wait for
 * a database that refuses them (history-sqlite.ts); `writerThread`: the history's writes go on a
 * thread of their own, with its own connection to the database's file (writer-thread.ts).
 */
export async function openSqliteStore(
  database: Database.Database, location: string,
  { turnLog, waitingMost = WAITING_MOST, openMs = OPEN_MS, writerThread = false }: { turnLog?: string; waitingMost?: number; openMs?: number; writerThread?: boolean } = {},
): Promise<Store> {
  const errors = sqliteErrors(location);
  try {
    database.pragma('foreign_keys = ON');
  } catch (err) {
    database.close();
    throw errors.toStoreError(err);
  }
  const db = new Kysely<Schema>({ dialect: new HowdySqliteDialect(database) });
  try {
    await migrate(db, location);
  } catch (err) {
    await db.destroy();
    throw err instanceof StoreError ? err : errors.toStoreError(err);
  }
  let history: SqliteHistoryStore;
  try {
    history = new SqliteHistoryStore(database, errors, turnLog === undefined ? undefined : new TurnLog(turnLog), waitingMost, openMs, writerThread ? database.name : undefined);
  } catch (err) {
    await db.destroy();
    throw errors.toStoreError(err);
  }
  return {
    accounts: new KyselyAccountStore(db, errors), rooms: new KyselyRoomStore(db, errors), history, location,
    moderation: new KyselyModerationStore(db, errors),
    blocks: new KyselyBlockStore(db, errors),
    ping: () => runQuery(errors, async () => void (await sql`select 1`.execute(db))),
    close: async () => {
      history.close();
      await db.destroy();
    },
  };
}

/**
 * Kysely's SQLite dialect, except that a transaction SQLite has already rolled back is not rolled
 * back again: SQLite does so by itself on a full disk or an I/O error, and the second rollback's
 * "no transaction is active" would hide the reason.
 */
class HowdySqliteDialect extends SqliteDialect {
  constructor(private readonly database: Database.Database) {
    super({ database });
  }

  override createDriver(): Driver {
    const database = this.database;
    return new (class extends SqliteDriver {
      override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
        if (database.inTransaction) await super.rollbackTransaction(connection);
      }
    })({ database });
  }
}

const FOLDER_ACCESS = constants.R_OK | constants.W_OK | constants.X_OK; // X: to make files in it
const FILE_ACCESS = constants.R_OK | constants.W_OK;

/** Creates the data folder if needed and checks the server may write there (root may anywhere). */
function prepareFolder(folder: string, file: string): void {
  try {
    mkdirSync(folder, { recursive: true });
  } catch (err) {
    throw fileError(err, `cannot create the data folder ${folder}`);
  }
  for (const [path, mode] of existsSync(file) ? [[folder, FOLDER_ACCESS], [file, FILE_ACCESS]] as const : [[folder, FOLDER_ACCESS]] as const) {
    try {
      accessSync(path, mode);
    } catch (err) {
      throw fileError(err, `cannot write ${path === folder ? `the data folder ${folder}` : file}`);
    }
  }
}

/** SQLite's result codes (better-sqlite3 puts the extended one in `code`, e.g. SQLITE_IOERR_WRITE) as StoreErrors; a StoreError as it is. */
export function sqliteError(err: unknown, file: string): StoreError {
  if (err instanceof StoreError) return err;
  const code = String((err as { code?: unknown }).code ?? '');
  const primary = /^SQLITE_[A-Z]+/.exec(code)?.[0];
  const reason = (err as Error).message;
  switch (primary) {
    case 'SQLITE_FULL':
      return new StoreError('DISK_FULL', `${file}: the disk is full (${reason})`, { cause: err });
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new StoreError('LOCKED', `${file} is locked by another process (another Howdy server on the same --data?): ${reason}`, { cause: err });
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_PERM':
      return new StoreError('NOT_WRITABLE', `cannot write ${file}: ${reason}`, { cause: err });
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return new StoreError('CORRUPT', `${file} is not a Howdy database, or it is damaged (${reason}): move it away, or restore a backup`, { cause: err });
    default:
      return new StoreError('IO_ERROR', `${file}: ${reason}`, { cause: err });
  }
}

function sqliteErrors(file: string): EngineErrors {
  return {
    isUniqueViolation: (err) => /^SQLITE_CONSTRAINT_(PRIMARYKEY|UNIQUE)$/.test(String((err as { code?: unknown }).code)),
    toStoreError: (err) => sqliteError(err, file),
  };
}
