import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { HistoryWriter } from './history-writer.js';
import type { WriterJob, WriterDone } from './writer-thread.js';

/**
 * The history writer's thread (writer-thread.ts): its own connection to the store's database,
 * taking one job at a time. Each answer goes to the results port before the status word says idle,
 * so a store that waits on the word finds it there.
 */
const { file, timeout, status, results } = workerData as { file: string; timeout: number; status: Int32Array; results: MessagePort };

function answer(done: WriterDone): void {
  results.postMessage(done);
  Atomics.store(status, 0, 0);
  Atomics.notify(status, 0);
}

function failed(err: unknown): WriterDone {
  return { error: { message: (err as Error).message ?? String(err), code: (err as { code?: string }).code } };
}

/**
 * The writes are behind the live path: where they contend for a core, the chat goes first (Linux
 * gives a thread its own nice value). When they fall too far behind, the chat waits for them.
 */
const NICE = 10;
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), NICE);
} catch {
  // not Linux, or not allowed: the thread runs at the process's priority
}

let writer: HistoryWriter | undefined;
let database: Database.Database | undefined;
try {
  database = new Database(file, { timeout, fileMustExist: true });
  database.pragma('synchronous = NORMAL'); // as the store's own connection (sqlite.ts)
  writer = new HistoryWriter(database);
  answer({ taken: 0 });
} catch (err) {
  database?.close();
  answer(failed(err));
}

parentPort!.on('message', (job: WriterJob | 'close') => {
  if (job === 'close') {
    database?.close();
    parentPort!.close();
    answer({ taken: 0 });
    return;
  }
  try {
    if (job.placement) writer!.place(job.placement);
    answer({ taken: job.feed ? writer!.feedSearch(job.feed.limit, job.feed.upTo) : 0 });
  } catch (err) {
    answer(failed(err));
  }
});
