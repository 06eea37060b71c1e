/**
 * The session's history (docs/protocol.md §11) against a scripted server, frame by frame: the
 * user's own messages once (the server's echo), catching up after a drop while live messages come
 * meanwhile, a guest's session resumed, deletions, and a new session over the same storage.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClientMessage } from '../../src/client/history.js';
import type { ChatStorage } from '../../src/client/session-storage.js';
import { ChatSession, type SessionEvents } from '../../src/client/session.js';
import { ErrorCode, MsgType, type ExtensionFields, type HcpMessage } from '../../src/protocol/index.js';
import { ScriptedServer } from '../helpers/scripted-server.js';

const sessions: ChatSession[] = [];
afterEach(() => sessions.splice(0).forEach((s) => s.close()));

const TOKEN = 'gus-token';
const entry = (id: number, text: string, from = 'bob', to = 'All'): ExtensionFields => ({ msgId: id, time: 1_795_838_520_000 + id, from, to, text });
const stamped = (fields: ExtensionFields): HcpMessage => ({ type: MsgType.STAMPED, fields });

interface Script {
  /** The entries CATCH_UP answers with, by AFTER; MORE when the next page is in the table too. */
  catchUp?: Record<number, ExtensionFields[]>;
  /** What the server sends right after the ACK of a connection (live messages that beat the catch-up). */
  afterAck?: (server: ScriptedServer, connection: number) => void;
  /** Whether RESUME takes the token. */
  resumes?: boolean;
}

/** A server with history: grants all, stamps and echoes messages, gives guests a token, answers catch-ups from the script. */
function historyServer(script: Script = {}): ScriptedServer {
  let nextId = 100;
  let connections = 0;
  const named = (s: ScriptedServer, name: string) => {
    s.deliver({ type: MsgType.ACK, name });
    s.deliver({ type: MsgType.UPDATE, names: ['bob', name] });
    s.deliver({ type: MsgType.SESSION, fields: { token: TOKEN } });
    script.afterAck?.(s, connections);
  };
  return new ScriptedServer((msg, s) => {
    switch (msg.type) {
      case MsgType.CAPS:
        connections++;
        return s.reply(msg, { caps: msg.fields.caps });
      case MsgType.PROPOSAL:
        return named(s, msg.name);
      case MsgType.RESUME:
        if (!script.resumes) return s.deliver({ type: MsgType.ERROR, code: ErrorCode.RESUME_FAILED, fatal: false, reason: 'that session is unknown', id: msg.id });
        named(s, 'gus');
        return s.reply(msg, { name: 'gus' });
      case MsgType.MESSAGE: {
        const echo = entry(nextId++, msg.text, msg.from, msg.to);
        s.deliver(stamped(echo));
        if (msg.to === msg.from) s.deliver(stamped(echo)); // a whisper to oneself: as the whisper, and as the echo
        return;
      }
      case MsgType.CATCH_UP: {
        const after = msg.fields.after ?? 0;
        const page = script.catchUp?.[after];
        if (!page) return s.deliver({ type: MsgType.ERROR, code: ErrorCode.HISTORY_INVALID, fatal: false, reason: `no message has id ${after} yet`, id: msg.id });
        const last = page.at(-1)?.msgId;
        return s.reply(msg, { entry: page, ...(last !== undefined && script.catchUp?.[last] && { more: true }) });
      }
      case MsgType.HISTORY:
        return s.reply(msg, { entry: [entry(10, 'the newest before the join')] });
      case MsgType.DELETE:
        return s.reply(msg);
      case MsgType.ROOM_LIST:
        return s.reply(msg, { entry: [] });
    }
  });
}

function session(server: ScriptedServer, storage?: ChatStorage): ChatSession & { shown: ClientMessage[] } {
  const s = Object.assign(new ChatSession(async () => server.open(), { firstRetryMs: 10, ...(storage && { storage }) }), { shown: [] as ClientMessage[] });
  sessions.push(s);
  s.on('message', (m) => s.shown.push(m));
  s.start();
  return s;
}

async function joined(server: ScriptedServer, name = 'alice', storage?: ChatStorage): Promise<ChatSession & { shown: ClientMessage[] }> {
  const s = session(server, storage);
  s.join(name);
  await s.once('joined');
  await settled();
  return s;
}

/** Once the scripted server has answered all it was asked (it answers in microtasks). */
const settled = () => new Promise((resolve) => setTimeout(resolve, 5));
const texts = (messages: readonly ClientMessage[]) => messages.map((m) => m.text);

function memoryStorage(): ChatStorage {
  const items = new Map<string, string>();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}

describe('the session with history (docs/protocol.md §11)', () => {
  it("shows the user's own message once, as the server's echo with its id and time; a whisper to oneself once", async () => {
    const server = historyServer();
    const alice = await joined(server);
    expect(alice.historyEnabled).toBe(true);
    expect(alice.cursor).toBe(10); // the newest of the lobby when joining: a quiet server loses nothing after a drop
    alice.send('howdy');
    alice.send('note to self', 'alice');
    await expect.poll(() => alice.shown.length).toBe(2);
    await settled();
    expect(alice.shown).toEqual([
      { id: 100, time: 1_795_838_520_100, from: 'alice', to: 'All', text: 'howdy', own: true, deleted: false },
      { id: 101, time: 1_795_838_520_101, from: 'alice', to: 'alice', text: 'note to self', own: true, deleted: false },
    ]);
    expect(alice.cursor).toBe(101);
  });

  it('after a drop, shows what was missed (CATCH_UP from its cursor, again while MORE), then the live messages held meanwhile, each once', async () => {
    const server = historyServer({
      catchUp: { 10: [entry(11, 'missed 1'), entry(12, 'missed 2')], 12: [entry(13, 'missed 3'), { ...entry(14, ''), deleted: true }], 14: [] },
      afterAck: (s, connection) => {
        if (connection < 2) return;
        // live before the catch-up is answered: held, shown after it
        s.deliver(stamped(entry(21, 'live 2', 'bob', 'alice')));
        s.deliver(stamped(entry(20, 'live 1')));
        s.deliver(stamped(entry(20, 'live 1')));
      },
    });
    const alice = await joined(server);
    const caughtUp: Array<SessionEvents['caughtUp']> = [];
    alice.on('caughtUp', (e) => caughtUp.push(e));
    const back = alice.once('joined');
    server.drop();
    expect(await back).toEqual({ name: 'alice', again: true });
    await expect.poll(() => caughtUp.length).toBe(1);
    expect(server.requests(MsgType.CATCH_UP).map((m) => 'fields' in m && m.fields.after)).toEqual([10, 12, 14]);
    expect(texts(alice.shown)).toEqual(['missed 1', 'missed 2', 'missed 3', 'live 1', 'live 2']); // in the server's order; the deleted one not at all
    expect(texts(caughtUp[0]!.messages)).toEqual(['missed 1', 'missed 2', 'missed 3']);
    expect(alice.cursor).toBe(21);
    expect(alice.lastWhisperer).toBe('bob');
    // and live again from here
    server.deliver(stamped(entry(22, 'live 3')));
    expect(texts(alice.shown).at(-1)).toBe('live 3');
  });

  it('a catch-up the server refuses (a cursor it never gave) says so, shows the live messages held, and starts over from them', async () => {
    const server = historyServer({
      afterAck: (s, connection) => s.deliver(stamped(connection === 1 ? entry(5, 'before the reset') : entry(3, 'live after a new server'))),
    });
    const alice = await joined(server);
    const errors: string[] = [];
    alice.on('error', (e) => errors.push(e.reason));
    const caughtUp = vi.fn();
    alice.on('caughtUp', caughtUp);
    server.drop();
    await expect.poll(() => texts(alice.shown)).toEqual(['before the reset', 'live after a new server']);
    expect(errors).toEqual(["could not catch up on what you missed: the server's history starts after you left (it was reset)"]);
    expect(caughtUp).not.toHaveBeenCalled();
    expect(alice.cursor).toBe(3);
    server.deliver(stamped(entry(5, 'a new 5'))); // an id seen before the reset: a new message all the same
    expect(texts(alice.shown).at(-1)).toBe('a new 5');
  });

  it("a guest's session is resumed with its token after a drop; a token refused falls back to a proposal", async () => {
    const resuming = historyServer({ resumes: true, catchUp: { 10: [] } });
    const gus = await joined(resuming, 'gus');
    const back = gus.once('joined');
    resuming.drop();
    expect(await back).toEqual({ name: 'gus', again: true });
    expect(resuming.requests(MsgType.RESUME)).toEqual([expect.objectContaining({ fields: { token: TOKEN } })]);
    expect(resuming.requests(MsgType.PROPOSAL)).toHaveLength(1); // the first join only

    const refusing = historyServer({ catchUp: { 10: [] } });
    const other = await joined(refusing, 'gus');
    const again = other.once('joined');
    refusing.drop();
    expect(await again).toEqual({ name: 'gus', again: true });
    expect(refusing.requests(MsgType.RESUME)).toHaveLength(1);
    expect(refusing.requests(MsgType.PROPOSAL)).toHaveLength(2);
  });

  it("tells deletions as the server's DELETED frames say (the user's own among them: §11)", async () => {
    const server = historyServer();
    const alice = await joined(server);
    const deleted: Array<SessionEvents['deleted']> = [];
    alice.on('deleted', (e) => deleted.push(e));
    server.deliver({ type: MsgType.DELETED, fields: { msgId: 7, conversation: 'bob' } });
    await alice.deleteMessage(100);
    expect(server.requests(MsgType.DELETE)).toEqual([expect.objectContaining({ fields: { msgId: 100 } })]);
    expect(deleted).toEqual([{ id: 7, conversation: 'bob' }]); // its own comes as the server's DELETED
  });

  it('a new session over the same storage (a page reloaded) resumes the guest and catches up from the cursor kept', async () => {
    const storage = memoryStorage();
    const first = historyServer({ resumes: true });
    const before = await joined(first, 'gus', storage);
    first.deliver(stamped(entry(30, 'seen before the reload')));
    expect(before.cursor).toBe(30);
    before.close();

    const server = historyServer({ resumes: true, catchUp: { 30: [entry(31, 'said during the reload')] } });
    const after = await joined(server, 'gus', storage);
    await expect.poll(() => texts(after.shown)).toEqual(['said during the reload']);
    expect(server.requests(MsgType.RESUME)).toHaveLength(1);
    expect(server.requests(MsgType.PROPOSAL)).toEqual([]);
  });
});
