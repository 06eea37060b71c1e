import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Placement } from './history-writer.js';

/** A job for the writer's thread: chunks to put in place, then a step of the search index. */
export interface WriterJob {
  placement?: Placement;
  feed?: { limit: number; upTo: number };
}

/** How a job went: the messages the search index took in, or why it failed (SQLite's code kept). */
export type WriterDone = { taken: number } | { error: { message: string; code?: string } };

/** The thread's young generation, in MB: its garbage is a job's, short-lived (V8's default would stay resident, tens of MB). */
const YOUNG_GENERATION_MB = 8;
/** The longest the store waits for the writer's thread before it takes it for lost. */
const ANSWER_MOST_MS = 30_000;

/**
 * The history's writes on a thread of their own (writer-worker.ts), with its own connection to the
 * database: the chunks' SQLite pages and the search index cost the live path nothing but a copy of
 * the chunks' bytes, where the machine has a core to spare. One job at a time; its answer comes as
 * an event, or at once to a store that must wait for it (`wait`: before it settles or closes).
 */
export class WriterThread {
  private readonly worker: Worker;
  /** 1 while a job (or the start) is under way, 0 once its answer is on `results`. */
  private readonly status = new Int32Array(new SharedArrayBuffer(4));
  private readonly results: MessagePort;
  private done: ((result: WriterDone) => void) | undefined;
  private readonly idle: Array<() => void> = [];
  /** Why the thread is not to be used: it did not start, or stopped answering. */
  broken: Error | undefined;

  constructor(file: string, timeout: number) {
    const { port1, port2 } = new MessageChannel();
    this.results = port1;
    Atomics.store(this.status, 0, 1);
    this.done = (started) => {
      if ('error' in started) this.broken = errorOf(started);
    };
    const [script, evaluated] = workerScript();
    this.worker = new Worker(script, {
      eval: evaluated, workerData: { file, timeout, status: this.status, results: port2 }, transferList: [port2],
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    const stopped = (why: string): void => {
      this.broken ??= new Error(`the history's writer thread stopped: ${why}`);
      this.finish({ error: { message: this.broken.message } });
    };
    this.worker.on('error', (err) => stopped(err.message));
    this.worker.on('exit', (code) => stopped(`exit code ${code}`));
    this.results.on('message', (result: WriterDone) => this.finish(result));
    this.worker.unref(); // the results port keeps the process up while a job (or the start) is under way
  }

  /** A job is under way (its answer, if there, is taken). */
  get busy(): boolean {
    if (this.done && Atomics.load(this.status, 0) === 0) this.collect();
    return this.done !== undefined;
  }

  /** Starts `job` (none may be under way); `done` is called with its answer. Its chunks' bytes are moved to the thread. */
  run(job: WriterJob, done: (result: WriterDone) => void): void {
    if (this.broken) return done({ error: { message: this.broken.message } });
    this.done = done;
    this.results.ref(); // the answer keeps the process up; when idle, the thread does not
    Atomics.store(this.status, 0, 1);
    const body = job.placement?.chunks[0]?.body.buffer as ArrayBuffer | undefined; // one buffer holds them all
    this.worker.postMessage(job, body ? [body] : []);
  }

  /** Resolves once no job is under way. */
  whenIdle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Waits, blocking, for the job under way to end; its `done` has been called on return. */
  wait(): void {
    if (!this.busy) return;
    if (!this.answered()) {
      this.broken = new Error(`the history's writer thread has not answered in ${ANSWER_MOST_MS / 1000} s`);
      this.finish({ error: { message: this.broken.message } });
    } else {
      this.collect();
    }
  }

  /** Waits for the job under way, then stops the thread (its connection closed). */
  close(): void {
    this.wait();
    if (!this.broken) {
      Atomics.store(this.status, 0, 1);
      this.worker.postMessage('close');
      this.answered();
    }
    this.results.close();
    void this.worker.terminate();
  }

  /** Blocks until the status word says the answer is there (true), or ANSWER_MOST_MS went by. */
  private answered(): boolean {
    const until = performance.now() + ANSWER_MOST_MS;
    while (Atomics.load(this.status, 0) === 1 && performance.now() < until) Atomics.wait(this.status, 0, 1, 100);
    return Atomics.load(this.status, 0) === 0;
  }

  private collect(): void {
    const answer = receiveMessageOnPort(this.results);
    if (answer) this.finish(answer.message as WriterDone);
  }

  private finish(result: WriterDone): void {
    const done = this.done;
    this.done = undefined;
    this.results.unref();
    done?.(result);
    for (const resolve of this.idle.splice(0)) resolve();
  }
}

/** SQLite's failure as the thread reported it, its code kept (sqlite.ts reads it). */
export function errorOf(done: { error: { message: string; code?: string } }): Error {
  return Object.assign(new Error(done.error.message), done.error.code === undefined ? {} : { code: done.error.code });
}

/**
 * The worker's script: the compiled one beside this module; run from TypeScript sources (the
 * tests), the source itself, through tsx.
 */
function workerScript(): [script: string | URL, evaluated: boolean] {
  if (!import.meta.url.endsWith('.ts')) return [new URL('./writer-worker.js', import.meta.url), false];
  const source = new URL('./writer-worker.ts', import.meta.url).href;
  return [`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`, true];
}
