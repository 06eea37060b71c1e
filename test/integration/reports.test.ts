/** Reports, the audit trail and grants on the wire (docs/protocol.md §10.6): REPORT, MOD_REPORTS, MOD_REPORT_CLOSE, MOD_AUDIT, MOD_GRANT, over raw frames. */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, MsgType, type ExtensionFields } from '../../src/protocol/index.js';
import { FramedPeer } from '../helpers/clients.js';
import { ask, framedUser, refusal, sayStamped as say } from '../helpers/requests.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer | undefined;
const peers: FramedPeer[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.end();
  await server?.close();
  server = undefined;
});

const PASSWORD = 'correct horse';
const CAPS = ['accounts', 'rooms', 'history', 'moderation'];
const add = (p: FramedPeer): FramedPeer => (peers.push(p), p);
/** A user granted history (and moderation), registered with `password` or a guest. */
const user = async (name: string, password?: string) => add(await framedUser(server!.port, name, { caps: CAPS, ...(password && { password }) }));
/** An account given `role` from the server machine, as `howdy admin grant` does. */
async function staff(name: string, role: 'admin' | 'moderator'): Promise<FramedPeer> {
  const peer = await user(name, PASSWORD);
  await server!.core.moderation!.grant({ name: 'cli', role: 'admin' }, name, role);
  return peer;
}
/** The texts Server sent `peer` (MESSAGE or STAMPED frames from `Server`). */
const fromServer = (peer: FramedPeer): string[] => peer.received.flatMap((m) => {
  if (m.type === MsgType.MESSAGE && m.from === 'Server') return [m.text];
  return [];
});

describe('reports', () => {
  it('a guest reports a message: the moderator online is told at once, lists it (open first) and closes it; the report keeps the text after a delete', async () => {
    server = await startTestServer();
    const mod = await staff('mod', 'moderator');
    const bob = await user('bob', PASSWORD);
    const amy = await user('amy');
    const first = await say(bob, 'bob', 'All', 'first insult');
    const second = await say(bob, 'bob', 'All', 'second insult');
    await amy.until(() => amy.received.filter((m) => m.type === MsgType.STAMPED).length === 2, 'both messages');

    const one = await ask(amy, MsgType.REPORT, { msgId: first, text: 'rude' });
    expect(one.reportId).toBeGreaterThan(0);
    await mod.until(() => fromServer(mod).length === 1, 'the notice to the moderator');
    expect(fromServer(mod)[0]).toBe(`Report #${one.reportId} by amy: bob to All: "first insult" (rude)`);
    expect(fromServer(bob)).toEqual([]); // nobody else is told
    const two = await ask(amy, MsgType.REPORT, { msgId: second });

    await ask(mod, MsgType.MOD_DELETE, { msgId: second }); // the report keeps the text as it was
    await ask(mod, MsgType.MOD_REPORT_CLOSE, { reportId: two.reportId });
    const listed = (await ask(mod, MsgType.MOD_REPORTS)).entry as ExtensionFields[];
    expect(listed.map((r) => r.reportId)).toEqual([one.reportId, two.reportId]); // open first, though older
    expect(listed[0]).toMatchObject({ reporter: 'amy', msgId: first, from: 'bob', to: 'All', text: 'first insult', reason: 'rude' });
    expect(listed[0]!.closedBy).toBeUndefined();
    expect(listed[1]).toMatchObject({ reporter: 'amy', msgId: second, text: 'second insult', closedBy: 'mod' });
    expect(listed[1]!.reason).toBeUndefined();
    expect(listed[1]!.closedAt).toBeGreaterThanOrEqual(listed[1]!.time!);

    expect(await refusal(ask(mod, MsgType.MOD_REPORT_CLOSE, { reportId: two.reportId }))).toBe(ErrorCode.MOD_INVALID); // closed already
    expect(await refusal(ask(mod, MsgType.MOD_REPORT_CLOSE, { reportId: 999 }))).toBe(ErrorCode.NO_SUCH_REPORT);
    expect(await refusal(ask(amy, MsgType.REPORT, { msgId: second }))).toBe(ErrorCode.NO_SUCH_MESSAGE); // deleted since
  });

  it('a guest and a user without a role may not list or close reports, nor read the audit trail (FORBIDDEN)', async () => {
    server = await startTestServer();
    const bob = await user('bob', PASSWORD);
    const amy = await user('amy');
    const id = await say(bob, 'bob', 'All', 'hi');
    const { reportId } = await ask(amy, MsgType.REPORT, { msgId: id });
    for (const peer of [amy, bob]) {
      expect(await refusal(ask(peer, MsgType.MOD_REPORTS))).toBe(ErrorCode.FORBIDDEN);
      expect(await refusal(ask(peer, MsgType.MOD_REPORT_CLOSE, { reportId }))).toBe(ErrorCode.FORBIDDEN);
      expect(await refusal(ask(peer, MsgType.MOD_AUDIT))).toBe(ErrorCode.FORBIDDEN);
    }
  });

  it('only a message the reporter may read can be reported: a whisper between others, a room one is not in, an unknown id (NO_SUCH_MESSAGE)', async () => {
    server = await startTestServer();
    const bob = await user('bob', PASSWORD);
    const carl = await user('carl', PASSWORD);
    const amy = await user('amy');
    const whisper = await say(bob, 'bob', 'carl', 'just between us');
    await ask(bob, MsgType.ROOM_CREATE, { room: '#den', private: true });
    const inRoom = await say(bob, 'bob', '#den', 'members only');
    for (const msgId of [whisper, inRoom, 10_000]) expect(await refusal(ask(amy, MsgType.REPORT, { msgId }))).toBe(ErrorCode.NO_SUCH_MESSAGE);
    expect(await ask(carl, MsgType.REPORT, { msgId: whisper, text: 'creepy' })).toMatchObject({ reportId: 1 }); // its receiver may
    const classicLike = add(await framedUser(server.port, 'dan', { caps: ['accounts'] })); // REPORT needs history: ids come with it
    expect(await refusal(ask(classicLike, MsgType.REPORT, { msgId: whisper }))).toBe(ErrorCode.REQUEST_INVALID);
  });

  it('the audit trail on the wire: newest first, paged by LIMIT and BEFORE, MORE while older entries are left', async () => {
    server = await startTestServer();
    const mod = await staff('mod', 'moderator');
    add(await framedUser(server.port, 'bob', { caps: CAPS }));
    for (const text of ['one', 'two', 'three']) await ask(mod, MsgType.MOD_WARN, { name: 'bob', text });
    const page = await ask(mod, MsgType.MOD_AUDIT, { limit: 2 });
    const entries = page.entry as ExtensionFields[];
    expect(entries.map((e) => [e.by, e.action, e.target, e.text])).toEqual([['mod', 'warn', 'bob', 'three'], ['mod', 'warn', 'bob', 'two']]);
    expect(page.more).toBe(true);
    expect(entries[0]!.auditId).toBeGreaterThan(entries[1]!.auditId!);
    expect(entries[0]!.time).toBeGreaterThan(Date.now() - 60_000);
    const older = await ask(mod, MsgType.MOD_AUDIT, { before: entries[1]!.auditId, limit: 2 });
    expect((older.entry as ExtensionFields[]).map((e) => [e.by, e.action, e.target, e.text])).toEqual([['mod', 'warn', 'bob', 'one'], ['cli', 'grant', 'mod', 'moderator']]);
    expect(older.more).toBeUndefined();
    expect(await refusal(ask(mod, MsgType.MOD_AUDIT, { limit: 201 }))).toBe(ErrorCode.MOD_INVALID);
  });

  it('an admin grants and takes roles on the wire (audited); a moderator may not; the new moderator can then kick', async () => {
    server = await startTestServer();
    const admin = await staff('boss', 'admin');
    const mod = await staff('mod', 'moderator');
    const bob = await user('Bob', PASSWORD);
    const troll = await user('troll');
    expect(await refusal(ask(mod, MsgType.MOD_GRANT, { name: 'bob', role: 'moderator' }))).toBe(ErrorCode.FORBIDDEN);
    expect(await refusal(ask(bob, MsgType.MOD_KICK, { name: 'troll' }))).toBe(ErrorCode.FORBIDDEN);
    expect(await ask(admin, MsgType.MOD_GRANT, { name: 'bob', role: 'moderator' })).toEqual({ name: 'Bob' });
    expect(await ask(bob, MsgType.MOD_KICK, { name: 'troll', text: 'bye' })).toEqual({});
    await troll.waitClosed();
    expect(await refusal(ask(admin, MsgType.MOD_GRANT, { name: 'troll', role: 'moderator' }))).toBe(ErrorCode.NO_SUCH_USER); // a guest
    expect(await refusal(ask(admin, MsgType.MOD_GRANT, { name: 'bob', role: 'king' }))).toBe(ErrorCode.MOD_INVALID);
    await ask(admin, MsgType.MOD_GRANT, { name: 'bob', role: 'none' });
    expect(await refusal(ask(bob, MsgType.MOD_USERS))).toBe(ErrorCode.FORBIDDEN);
    const log = (await ask(admin, MsgType.MOD_AUDIT, { limit: 3 })).entry as ExtensionFields[];
    expect(log.map((e) => [e.by, e.action, e.target, e.text])).toEqual([['boss', 'grant', 'Bob', 'none'], ['Bob', 'kick', 'troll', 'bye'], ['boss', 'grant', 'Bob', 'moderator']]);
  });
});
