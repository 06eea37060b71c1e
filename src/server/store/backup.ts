import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE, LOCK_WAIT_MS, MEMORY, sqliteError } from './sqlite.js';

/**
 * Copies the database of the data folder `data` to the new file `target` with SQLite's online
 * backup: a consistent snapshot even while a server writes to it (the copy restarts when the
 * database changes under it, and WAL lets it read without stopping the writer).
 */
export async function backup(data: string, target: string): Promise<{ source: string; target: string; pages: number }> {
  if (data === MEMORY) throw new Error(`--data ${MEMORY} keeps nothing to back up`);
  const source = join(resolve(data), DATABASE_FILE);
  const copy = resolve(target);
  if (!existsSync(source)) throw new Error(`no Howdy database at ${source} (--data names the server's data folder)`);
  if (existsSync(copy)) throw new Error(`${copy} exists already: a backup never overwrites a file, name a new one`);
  let database: Database.Database | undefined;
  try {
    database = new Database(source, { fileMustExist: true, timeout: LOCK_WAIT_MS });
    const { totalPages } = await database.backup(copy);
    return { source, target: copy, pages: totalPages };
  } catch (err) {
    throw sqliteError(err, source);
  } finally {
    database?.close();
  }
}
