import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { fileError } from './file-errors.js';

/**
 * An append-only file of lines, one a turn of the event loop: the history's turns between their
 * append (before any byte of them is written to a socket) and their chunks' place in the database.
 * One write a turn, no page to rewrite; the operating system keeps what was written when the
 * process is killed, as it keeps SQLite's WAL (synchronous = NORMAL). It may be cut in two
 * (`cut`): the lines so far go to the earlier part (`.1`), dropped once all of them are in place,
 * while new lines go on in a new file: so what waits can go in place a little at a time.
 */
export class TurnLog {
  private fd: number;
  /** Bytes the file holds: a write that failed is cut off, so no torn line is left before later ones. */
  private size: number;
  /** An earlier part waits (cut, not yet dropped). */
  private earlier: boolean;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'a+');
    } catch (err) {
      throw fileError(err, `cannot write ${path}`);
    }
    this.size = fstatSync(this.fd).size;
    this.earlier = existsSync(earlierOf(path));
  }

  /** The lines of a log a stopped server left, its earlier part's first, but a last one cut short. */
  static leftIn(path: string): string[] {
    return [earlierOf(path), path].flatMap((file) => {
      if (!existsSync(file) || !statSync(file).isFile()) return [];
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.pop(); // after the last newline: nothing, or a line whose write was cut short
      return lines;
    });
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

  /** The lines so far become the earlier part; new ones go on in a new file. */
  cut(): void {
    const earlier = earlierOf(this.path);
    try {
      renameSync(this.path, earlier);
    } catch (err) {
      throw fileError(err, this.path);
    }
    let fd: number;
    try {
      fd = openSync(this.path, 'a+');
    } catch (err) {
      try {
        renameSync(earlier, this.path); // as it was: one file, still open
      } catch {
        // the lines go on in the earlier part, the file this log writes (and empties) from now on
      }
      throw fileError(err, `cannot write ${this.path}`);
    }
    closeSync(this.fd);
    this.fd = fd;
    this.size = 0;
    this.earlier = true;
  }

  /** Everything in the earlier part is in the database now. */
  dropEarlier(): void {
    if (!this.earlier) return;
    rmSync(earlierOf(this.path), { force: true });
    this.earlier = false;
  }

  /** Everything in it, the earlier part too, is in the database now. */
  clear(): void {
    this.dropEarlier();
    if (this.size === 0) return;
    ftruncateSync(this.fd, 0);
    this.size = 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Where the earlier part of the log at `path` is kept. */
function earlierOf(path: string): string {
  return `${path}.1`;
}
