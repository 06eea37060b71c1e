import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { fileError } from './file-errors.js';

/**
 * An append-only file of lines, one a turn of the event loop: the history's turns between their
 * append (before any byte of them is written to a socket) and their chunks' place in the database.
 * One write a turn, no page to rewrite; the operating system keeps what was written when the
 * process is killed, as it keeps SQLite's WAL (synchronous = NORMAL).
 */
export class TurnLog {
  private readonly fd: number;
  /** Bytes the file holds: a write that failed is cut off, so no torn line is left before later ones. */
  private size: number;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'a+');
    } catch (err) {
      throw fileError(err, `cannot write ${path}`);
    }
    this.size = fstatSync(this.fd).size;
  }

  /** The lines of a log a stopped server left, but a last one cut short. */
  static leftIn(path: string): string[] {
    if (!existsSync(path) || !statSync(path).isFile()) return [];
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.pop(); // after the last newline: nothing, or a line whose write was cut short
    return lines;
  }

  /** Appends the first `length` bytes of `bytes`: a line, its newline included. */
  append(bytes: Buffer, length: number): void {
    try {
      let done = 0;
      while (done < length) done += writeSync(this.fd, bytes, done, length - done);
      this.size += length;
    } catch (err) {
      try {
        ftruncateSync(this.fd, this.size);
      } catch {
        // the write's own failure says more
      }
      throw fileError(err, this.path);
    }
  }

  /** Everything in it is in the database now. */
  clear(): void {
    if (this.size === 0) return;
    ftruncateSync(this.fd, 0);
    this.size = 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}
