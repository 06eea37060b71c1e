import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from '../core/ports.js';

/** The file in a data folder naming the server that uses it: its process id. */
export const LOCK_FILE = 'howdy.pid';

/**
 * Claims the data folder for this process: a second server on the same folder would keep its own
 * copy of what the core holds in memory (registered names, rooms) and the two would drift apart.
 * A lock left by a server that was killed (its process gone) is taken over. Returns the release.
 */
export function claimFolder(folder: string, fileError: (err: unknown, what: string) => StoreError): () => void {
  const file = join(folder, LOCK_FILE);
  const mine = `${process.pid}\n`;
  for (;;) {
    try {
      writeFileSync(file, mine, { flag: 'wx' });
      return () => {
        if (holderOf(file) === process.pid) rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fileError(err, `cannot write ${file}`);
    }
    const holder = holderOf(file);
    if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
      throw new StoreError('LOCKED', `${folder} is in use by another Howdy server (process ${holder}): stop it first, or choose another folder with --data`);
    }
    rmSync(file, { force: true }); // its server is gone (killed): the folder is free
  }
}

function holderOf(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, under another user
  }
}
