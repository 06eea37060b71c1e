/**
 * A process that writes to a data folder through the store, for tests that kill it or back up
 * under it: `node --import tsx test/helpers/store-writer.ts DATA COUNT` creates the accounts user0 …
 * user{COUNT-1} (password "pw{i}", a cheap scrypt cost) and sets each one's profile, printing
 * "wrote N" after each, then "done", and stays alive until killed, its store still open.
 */
import { hashPassword } from '../../src/server/accounts/passwords.js';
import { openStore } from '../../src/server/store/sqlite.js';

export const WRITER = 'test/helpers/store-writer.ts';
export const WRITER_COST = { N: 1024, r: 8, p: 1, keylen: 32 };

async function main(data: string, count: number): Promise<void> {
  const store = await openStore({ data });
  for (let i = 0; i < count; i++) {
    const name = `User${i}`;
    await store.accounts.create({ key: `user${i}`, name, password: await hashPassword(`pw${i}`, WRITER_COST) });
    await store.accounts.setProfile(`user${i}`, { displayName: `${name} 🤠`, about: `about ${i}`, status: 'busy', statusMessage: `message ${i}` });
    process.stdout.write(`wrote ${i + 1}\n`);
  }
  process.stdout.write('done\n');
  setInterval(() => {}, 1 << 30);
}

if (process.argv[1]?.endsWith('store-writer.ts')) void main(process.argv[2]!, Number(process.argv[3]));
