import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordRecord } from '../core/ports.js';

/**
 * Passwords are kept as scrypt hashes (node:crypto) with a random salt per user and the cost
 * parameters in the record, so a later Howdy can raise the cost for new hashes and still check the
 * old ones. The password itself is never kept, logged or sent anywhere.
 */

export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly keylen: number;
}

/** Cost for new hashes: N = 2^15, r = 8 (32 MiB and some 50-100 ms a hash), p = 1; a 64-byte key. */
export const SCRYPT_COST: ScryptCost = { N: 1 << 15, r: 8, p: 1, keylen: 64 };
const SALT_BYTES = 16;
/** A record asking for more than this is refused rather than obeyed (a damaged or hostile record). */
const MAX_MEMORY = 1 << 30;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; node's default ceiling (32 MiB) is exactly N = 2^15, r = 8, so give room
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r };
  // NFC: the same password typed on systems that compose accents differently is the same password
  const secret = Buffer.from(password.normalize('NFC'), 'utf8');
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, cost.keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** A new record for `password`: a fresh random salt, so two hashes of one password differ. */
export async function hashPassword(password: string, cost: ScryptCost = SCRYPT_COST): Promise<PasswordRecord> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost);
  return { scheme: 'scrypt', N: cost.N, r: cost.r, p: cost.p, keylen: cost.keylen, salt: salt.toString('base64'), hash: key.toString('base64') };
}

/** Whether `password` is the one `record` was made from, with the record's own parameters; compared in constant time. */
export async function verifyPassword(password: string, record: PasswordRecord): Promise<boolean> {
  const expected = Buffer.from(record.hash, 'base64');
  if (record.scheme !== 'scrypt' || expected.length !== record.keylen || 128 * record.N * record.r * record.p > MAX_MEMORY) return false;
  const key = await derive(password, Buffer.from(record.salt, 'base64'), record);
  return timingSafeEqual(key, expected);
}
