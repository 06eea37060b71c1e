import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { PasswordRecord, Store } from '../../src/server/core/ports.js';
import { openStore } from '../../src/server/store/sqlite.js';

/** A password record as a store keeps it (not a real hash: the store only stores it). */
export function passwordRecord(tag = 'x'): PasswordRecord {
  return { scheme: 'scrypt', N: 1024, r: 8, p: 1, keylen: 32, salt: Buffer.from(`salt-${tag}`).toString('base64'), hash: Buffer.from(`hash-${tag}`.padEnd(32, '.')).toString('base64') };
}

/** A fresh temporary folder for one test's data, removed by the returned cleanup. */
export function tempFolder(prefix = 'howdy-store-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Stores and folders for one test file, closed and removed after each test: call in the file's
 * top level (it registers the afterEach).
 */
export function storeFixtures(): { opened(data: string): Promise<Store>; folder(): string; cleanups: Array<() => unknown> } {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    cleanups,
    async opened(data) {
      const store = await openStore({ data });
      cleanups.push(() => store.close());
      return store;
    },
    folder() {
      const f = tempFolder();
      cleanups.push(f.remove);
      return f.path;
    },
  };
}
