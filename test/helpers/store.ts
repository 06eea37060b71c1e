import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PasswordRecord } from '../../src/server/core/ports.js';

/** A password record as a store keeps it (not a real hash: the store only stores it). */
export function passwordRecord(tag = 'x'): PasswordRecord {
  return { scheme: 'scrypt', N: 1024, r: 8, p: 1, keylen: 32, salt: Buffer.from(`salt-${tag}`).toString('base64'), hash: Buffer.from(`hash-${tag}`.padEnd(32, '.')).toString('base64') };
}

/** A fresh temporary folder for one test's data, removed by the returned cleanup. */
export function tempFolder(prefix = 'howdy-store-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
