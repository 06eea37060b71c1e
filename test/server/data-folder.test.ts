import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/server/store/sqlite.js';
import { startTestServer } from '../helpers/server.js';
import { passwordRecord, tempFolder } from '../helpers/store.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the server and its store', () => {
  it('opens the data folder before listening and closes it on close()', async () => {
    const data = tempFolder();
    cleanups.push(data.remove);
    const server = await startTestServer({ ephemeral: false, data: data.path });
    const file = join(data.path, DATABASE_FILE);
    expect(server.store.location).toBe(file);
    expect(server.logs).toContainEqual(expect.objectContaining({ level: 'info', msg: `data kept in ${file}`, data: file }));
    await server.store.accounts.create({ key: 'alice', name: 'alice', password: passwordRecord() });
    expect(existsSync(`${file}-wal`)).toBe(true);
    await server.close();
    expect(existsSync(`${file}-wal`)).toBe(false); // closed: the WAL folded back in
    const again = await startTestServer({ ephemeral: false, data: data.path });
    cleanups.push(() => again.close());
    expect(await again.store.accounts.get('alice')).toMatchObject({ name: 'alice' });
  });

  it('closes the store again when it cannot listen', async () => {
    const data = tempFolder();
    cleanups.push(data.remove);
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => taken.close(resolve)));
    const port = (taken.address() as { port: number }).port;
    await expect(startTestServer({ ephemeral: false, data: data.path, port })).rejects.toThrow(/EADDRINUSE/);
    expect(existsSync(join(data.path, DATABASE_FILE))).toBe(true);
    expect(existsSync(join(data.path, `${DATABASE_FILE}-wal`))).toBe(false);
  });

  it('test servers keep nothing on disk unless told', async () => {
    const server = await startTestServer();
    cleanups.push(() => server.close());
    expect(server.store.location).toBe('memory');
    expect(server.logs).toContainEqual(expect.objectContaining({ msg: 'data kept in memory only: nothing is kept when the server stops' }));
  });
});
