/**
 * The data folder as `howdy server` and `howdy backup` meet it: real processes, real files, real
 * kill -9. Every start-up refusal is one line and a non-zero exit, before the server listens.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/server/accounts/passwords.js';
import { SCHEMA_VERSION } from '../../src/server/store/migrations.js';
import { LOCK_FILE } from '../../src/server/store/folder-lock.js';
import { DATABASE_FILE, openStore } from '../../src/server/store/sqlite.js';
import { exited, freePort, howdy, listening, repoRoot, waitOutput } from '../helpers/spawn.js';
import { tempFolder } from '../helpers/store.js';
import { WRITER } from '../helpers/store-writer.js';

type Child = ReturnType<typeof howdy>;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function folder(): string {
  const f = tempFolder('howdy-data-test-');
  cleanups.push(f.remove);
  return f.path;
}

function track(child: Child): Child {
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

/** `howdy server` on free ports with this data folder. */
async function server(data: string, extra: string[] = []): Promise<Child & { port: number }> {
  const port = await freePort();
  const child = track(howdy(['server', '--port', String(port), '--no-http', '--log-format', 'json', '--data', data, ...extra]));
  await waitOutput(child, /"msg":"server is started and listening"/, 15_000);
  return Object.assign(child, { port });
}

/** The store writer (test/helpers/store-writer.ts) writing `count` accounts into `data`. */
function writer(data: string, count: number): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, data, String(count)], { cwd: repoRoot });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return track(Object.assign(child, { output: () => out }));
}

/** A start-up refusal: the command exits non-zero having printed exactly one line. */
async function refusedWithOneLine(child: Child): Promise<string> {
  expect(await exited(child)).not.toBe(0);
  const lines = child.output().trim().split('\n');
  expect(lines, child.output()).toHaveLength(1);
  return lines[0]!;
}

function killed(child: Child): Promise<unknown> {
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  return gone;
}

describe('howdy server and its data folder', () => {
  it('creates the folder on first start, says where its data is, and closes the database cleanly on SIGTERM', async () => {
    const data = join(folder(), 'howdy-data');
    const s = await server(data);
    const file = join(data, DATABASE_FILE);
    expect(s.output()).toContain(`"msg":"data kept in ${file}"`);
    expect(existsSync(file)).toBe(true);
    s.kill('SIGTERM');
    expect(await exited(s)).toBe(0);
    // the last connection closing checkpoints the WAL into the database and removes it
    expect(existsSync(`${file}-wal`)).toBe(false);
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('select version from schema_version').get()).toEqual({ version: SCHEMA_VERSION });
    raw.close();
  });

  it('--ephemeral keeps nothing, whatever --data says', async () => {
    const data = join(folder(), 'never-made');
    const s = await server(data, ['--ephemeral']);
    expect(s.output()).toContain('"msg":"data kept in memory only: nothing is kept when the server stops"');
    expect(existsSync(data)).toBe(false);
    s.kill('SIGTERM');
    expect(await exited(s)).toBe(0);
  });

  it('refuses a data folder it may not write or create, when run without the power to override permissions', async () => {
    const parent = folder();
    chmodSync(parent, 0o755);
    const owned = join(parent, 'owned-by-nobody');
    mkdirSync(owned, { mode: 0o755 });
    chownSync(owned, 65534, 65534);
    // we are root, whom permission bits do not stop: the server runs as root without
    // CAP_DAC_OVERRIDE, as an unprivileged user would, in folders owned by someone else
    const unprivileged = ['setpriv', '--inh-caps=-dac_override,-dac_read_search', '--bounding-set=-dac_override,-dac_read_search', '--'];
    const port = await freePort();
    const inside = track(howdy(['server', '--port', String(port), '--data', owned], {}, unprivileged));
    expect(await refusedWithOneLine(inside)).toBe(
      `howdy: cannot write the data folder ${owned}: permission denied (EACCES); give the server write access there, or choose another folder with --data`,
    );
    const below = join(owned, 'howdy-data');
    const creating = track(howdy(['server', '--port', String(port), '--data', below], {}, unprivileged));
    expect(await refusedWithOneLine(creating)).toMatch(`howdy: cannot create the data folder ${below}: permission denied (EACCES)`);
    expect(await listening(port)).toBe(false);
  });

  it('refuses a howdy.db that is not a database', async () => {
    const data = folder();
    writeFileSync(join(data, DATABASE_FILE), Buffer.alloc(8192, 'garbage '));
    const child = track(howdy(['server', '--port', String(await freePort()), '--data', data]));
    expect(await refusedWithOneLine(child)).toBe(
      `howdy: ${join(data, DATABASE_FILE)} is not a Howdy database, or it is damaged (file is not a database): move it away, or restore a backup`,
    );
  });

  it('refuses a database whose schema is newer than it knows', async () => {
    const data = folder();
    await (await openStore({ data })).close();
    const file = join(data, DATABASE_FILE);
    const raw = new Database(file);
    raw.prepare('update schema_version set version = ?').run(SCHEMA_VERSION + 41);
    raw.close();
    const child = track(howdy(['server', '--port', String(await freePort()), '--data', data]));
    expect(await refusedWithOneLine(child)).toBe(
      `howdy: ${file} has schema version ${SCHEMA_VERSION + 41}, newer than this Howdy knows (${SCHEMA_VERSION}): run the newer Howdy that wrote it, or start from a backup this one made`,
    );
  });

  it('refuses a database another process holds locked', async () => {
    const data = folder();
    await (await openStore({ data })).close();
    const holder = new Database(join(data, DATABASE_FILE));
    cleanups.push(() => holder.close());
    // exclusive locking mode: not even readers get in while it holds the lock
    holder.pragma('locking_mode = exclusive');
    holder.exec('begin exclusive');
    const child = track(howdy(['server', '--port', String(await freePort()), '--data', data]));
    expect(await refusedWithOneLine(child)).toMatch(
      new RegExp(`^howdy: ${join(data, DATABASE_FILE).replace(/[.]/g, '\\.')} is locked by another process \\(another Howdy server on the same --data\\?\\): database is locked$`),
    );
  });
});

describe('one server to a data folder', () => {
  it('a second server on the same folder is refused with one line; once the first is killed (-9), a new one takes the folder', async () => {
    const data = folder();
    const first = await server(data);
    expect(readFileSync(join(data, LOCK_FILE), 'utf8')).toBe(`${first.pid}\n`);
    const second = track(howdy(['server', '--port', String(await freePort()), '--no-http', '--data', data]));
    expect(await refusedWithOneLine(second)).toBe(
      `howdy: ${data} is in use by another Howdy server (process ${first.pid}): stop it first, or choose another folder with --data`,
    );
    await killed(first);
    const third = await server(data);
    expect(readFileSync(join(data, LOCK_FILE), 'utf8')).toBe(`${third.pid}\n`);
    third.kill('SIGTERM');
    expect(await exited(third)).toBe(0);
    expect(existsSync(join(data, LOCK_FILE))).toBe(false); // a clean stop frees the folder
  });
});

describe('what was written survives kill -9', () => {
  it('an account and its profile written through the store are there after the writer and the server are killed', async () => {
    const data = folder();
    const s = await server(data);
    const w = writer(data, 1);
    await waitOutput(w, /^done$/m, 15_000);
    await Promise.all([killed(w), killed(s)]);
    expect(existsSync(join(data, `${DATABASE_FILE}-wal`))).toBe(true); // nothing got to checkpoint it

    const again = await server(data);
    expect(again.output()).toContain('"msg":"data kept in');
    const store = await openStore({ data });
    cleanups.push(() => store.close());
    const account = await store.accounts.get('user0');
    expect(account).toMatchObject({ key: 'user0', name: 'User0' });
    expect(await verifyPassword('pw0', account!.password)).toBe(true);
    expect(await verifyPassword('pw1', account!.password)).toBe(false);
    expect(await store.accounts.profile('user0')).toEqual({ displayName: 'User0 🤠', about: 'about 0', status: 'busy', statusMessage: 'message 0' });
  });
});

describe('howdy backup', () => {
  it("copies a running server's data while another process writes, consistently", async () => {
    const data = folder();
    const s = await server(data);
    const w = writer(data, 100_000);
    await waitOutput(w, /^wrote 200$/m, 15_000);
    const copy = join(folder(), 'backup.db');
    const backup = track(howdy(['backup', copy, '--data', data]));
    expect(await exited(backup), backup.output()).toBe(0);
    expect(backup.output()).toMatch(new RegExp(`^backed up ${join(data, DATABASE_FILE)} to ${copy} \\(\\d+ pages\\)\\n$`));

    // the copy is a whole database: every account has its profile, and the server's own store opens it
    const raw = new Database(copy, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    const count = (query: string) => (raw.prepare(query).get() as { n: number }).n;
    const accounts = count('select count(*) as n from accounts');
    expect(accounts).toBeGreaterThanOrEqual(200);
    expect(count('select count(*) as n from profiles')).toBe(accounts); // created in one transaction
    // the writer sets each profile in a transaction after the account's: only the last may be behind
    expect(count("select count(*) as n from profiles where status = 'busy'")).toBeGreaterThanOrEqual(accounts - 1);
    raw.close();
    const restored = folder();
    copyFileSync(copy, join(restored, DATABASE_FILE));
    const store = await openStore({ data: restored });
    cleanups.push(() => store.close());
    expect(await store.accounts.get('user0')).toMatchObject({ name: 'User0' });
    expect(await store.accounts.profile('user199')).toMatchObject({ statusMessage: 'message 199' });
    s.kill('SIGTERM');
    expect(await exited(s)).toBe(0);
  });

  it('never overwrites a file, and says when there is nothing to copy', async () => {
    const data = folder();
    const existing = join(data, 'precious.db');
    writeFileSync(existing, 'keep me');
    await (await openStore({ data })).close();
    const over = track(howdy(['backup', existing, '--data', data]));
    expect(await refusedWithOneLine(over)).toBe(`howdy: ${existing} exists already: a backup never overwrites a file, name a new one`);
    const empty = folder();
    const none = track(howdy(['backup', join(empty, 'x.db'), '--data', empty]));
    expect(await refusedWithOneLine(none)).toBe(`howdy: no Howdy database at ${join(empty, DATABASE_FILE)} (--data names the server's data folder)`);
    const memory = track(howdy(['backup', join(empty, 'x.db')]));
    expect(await refusedWithOneLine(memory)).toBe('howdy: --data :memory: keeps nothing to back up');
  });
});
