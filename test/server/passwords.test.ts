import { describe, expect, it } from 'vitest';
import { hashPassword, SCRYPT_COST, verifyPassword } from '../../src/server/accounts/passwords.js';

describe('passwords (scrypt)', () => {
  it('checks the right password and refuses a wrong one', async () => {
    const record = await hashPassword('correct horse battery staple');
    expect(record).toMatchObject({ scheme: 'scrypt', ...SCRYPT_COST });
    expect(Buffer.from(record.salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(record.hash, 'base64')).toHaveLength(SCRYPT_COST.keylen);
    expect(await verifyPassword('correct horse battery staple', record)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', record)).toBe(false);
    expect(await verifyPassword('', record)).toBe(false);
  });

  it('two hashes of the same password differ (a salt per hash), and both check', async () => {
    const [a, b] = await Promise.all([hashPassword('hunter2'), hashPassword('hunter2')]);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(await verifyPassword('hunter2', a)).toBe(true);
    expect(await verifyPassword('hunter2', b)).toBe(true);
  });

  it("reads the parameters from the record, not today's defaults", async () => {
    const cheap = await hashPassword('s3cret', { N: 1 << 10, r: 4, p: 2, keylen: 32 });
    expect(cheap).toMatchObject({ N: 1024, r: 4, p: 2, keylen: 32 });
    expect(Buffer.from(cheap.hash, 'base64')).toHaveLength(32);
    expect(await verifyPassword('s3cret', cheap)).toBe(true);
    // the same salt and password under other parameters is another key: the record's must be used
    expect(await verifyPassword('s3cret', { ...cheap, N: 1 << 11 })).toBe(false);
    expect(await verifyPassword('s3cret', { ...cheap, r: 8 })).toBe(false);
  });

  it('takes the same password however its accents are composed (NFC)', async () => {
    const record = await hashPassword('caf\u00e9');
    expect(await verifyPassword('cafe\u0301', record)).toBe(true);
  });

  it('refuses a record that is damaged or asks for absurd memory, without deriving', async () => {
    const record = await hashPassword('x', { N: 1 << 10, r: 8, p: 1, keylen: 32 });
    expect(await verifyPassword('x', { ...record, keylen: 64 })).toBe(false);
    expect(await verifyPassword('x', { ...record, N: 1 << 24, r: 64 })).toBe(false);
  });
});
