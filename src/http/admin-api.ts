import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, HcpError } from '../protocol/index.js';
import type { Actor, Moderation, UserInfo } from '../server/core/moderation.js';
import type { Ban, ModerationStore, Report } from '../server/core/ports.js';
import { json } from './web-host.js';

/** Where the API lives on the HTTP port. */
export const ADMIN_PREFIX = '/api/admin/';
/** Largest JSON body taken. */
const MAX_BODY = 64 * 1024;
const AUDIT_LIMIT = 100;

/** A token as the store keeps it: its SHA-256 in hex (the token is 256 random bits: no salt or slow hash needed). */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** What a request does, given its JSON body; resolves with the answer's JSON. */
type Endpoint = (actor: Actor, body: Record<string, unknown>) => Promise<object>;

/**
 * The HTTP admin API (README "Moderation"): `Authorization: Bearer <token>` made by `howdy admin
 * token`, checked against the stored hashes at each request; JSON in and out. Every action goes
 * through the core's Moderation, as `api-token:` and the hash's first 6 hex, with an admin's rights.
 * Returns the handler: true when it answered the request.
 */
export function adminApi(moderation: Moderation, store: ModerationStore, log: { warn(obj: object, msg: string): void }) {
  const endpoints: Record<string, Endpoint> = {
    'GET users': async (actor) => ({ users: (await moderation.users(actor)).map(userJson) }),
    'GET bans': async (actor) => ({ bans: (await moderation.bans(actor)).map(banJson) }),
    'GET audit': async (actor, query) => ({ audit: (await moderation.auditLog(actor, optionalNumber(query, 'limit') ?? AUDIT_LIMIT, optionalNumber(query, 'before'))).entries }),
    'GET reports': async (actor, query) => ({ reports: (await moderation.reports(actor, optionalNumber(query, 'limit'))).map(reportJson) }),
    'POST warn': async (actor, b) => (await moderation.warn(actor, text(b, 'name'), text(b, 'text')), {}),
    'POST kick': async (actor, b) => (await moderation.kick(actor, text(b, 'name'), optionalText(b, 'reason')), {}),
    'POST mute': async (actor, b) => {
      const until = await moderation.mute(actor, text(b, 'name'), number(b, 'seconds'), optionalText(b, 'reason'));
      return until ? { until: until.toISOString() } : {};
    },
    'POST ban': async (actor, b) => banJson(await moderation.ban(actor, { kind: text(b, 'kind'), value: text(b, 'value'), seconds: optionalNumber(b, 'seconds'), reason: optionalText(b, 'reason') })),
    'POST unban': async (actor, b) => (await moderation.unban(actor, number(b, 'id')), {}),
    'POST announce': async (actor, b) => ({ told: await moderation.announce(actor, text(b, 'text')) }),
    'POST delete': async (actor, b) => (await moderation.deleteMessage(actor, number(b, 'id')), {}),
    'POST room': async (actor, b) => (await moderation.room(actor, text(b, 'room'), text(b, 'action')), {}),
    'POST grant': async (actor, b) => ({ name: await moderation.grant(actor, text(b, 'name'), text(b, 'role')) }),
    'POST reports/:id/close': async (actor, b) => (await moderation.closeReport(actor, number(b, 'id')), {}),
  };

  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(ADMIN_PREFIX)) return false;
    // a number within the path (reports/7/close) is the endpoint's `id`
    const path = url.pathname.slice(ADMIN_PREFIX.length);
    const pathId = /\/(\d+)(?=\/|$)/.exec(path)?.[1];
    const endpoint = endpoints[`${req.method} ${path.replace(/\/\d+(?=\/|$)/, '/:id')}`];
    void (async () => {
      const actor = await authenticate(req, store);
      if (!actor) {
        log.warn({ remote: req.socket.remoteAddress, path: url.pathname, why: req.headers.authorization ? 'wrong bearer token' : 'no bearer token' }, 'admin API refused');
        res.setHeader('WWW-Authenticate', 'Bearer');
        return json(res, 401, { error: 'UNAUTHORIZED', reason: 'send Authorization: Bearer <a token from "howdy admin token">' });
      }
      if (!endpoint) return json(res, 404, { error: 'NOT_FOUND', reason: `no ${req.method} ${url.pathname}` });
      const body = { ...(req.method === 'POST' ? await readJson(req) : Object.fromEntries(url.searchParams)), ...(pathId && { id: pathId }) };
      json(res, 200, await endpoint(actor, body));
    })().catch((err: unknown) => {
      if (!(err instanceof HcpError)) {
        log.warn({ err }, 'admin API failed');
        return json(res, 500, { error: 'INTERNAL', reason: 'the server failed to answer' });
      }
      json(res, statusOf(err.code), { error: err.codeName, reason: err.message });
    });
    return true;
  };
}

/** The actor a request's bearer token is, if the store knows its hash. */
async function authenticate(req: IncomingMessage, store: ModerationStore): Promise<Actor | undefined> {
  const match = /^Bearer ([\w-]+)$/.exec(req.headers.authorization ?? '');
  if (!match) return undefined;
  const hash = tokenHash(match[1]!);
  return (await store.hasToken(hash)) ? { name: `api-token:${hash.slice(0, 6)}`, role: 'admin' } : undefined;
}

function statusOf(code: number): number {
  switch (code) {
    case ErrorCode.FORBIDDEN:
      return 403;
    case ErrorCode.NO_SUCH_USER:
    case ErrorCode.NO_SUCH_BAN:
    case ErrorCode.NO_SUCH_ROOM:
    case ErrorCode.NO_SUCH_MESSAGE:
    case ErrorCode.NO_SUCH_REPORT:
      return 404;
    case ErrorCode.STORE_FAILED:
      return 503;
    default:
      return 400;
  }
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) return reject(new HcpError(ErrorCode.FRAME_TOO_LARGE, `a request body holds at most ${MAX_BODY} bytes`));
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      try {
        const body: unknown = chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
        resolve(body as Record<string, unknown>);
      } catch {
        reject(new HcpError(ErrorCode.MALFORMED, 'the body is a JSON object'));
      }
    });
  });
}

function text(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string') throw new HcpError(ErrorCode.MALFORMED, `"${key}" is a string`);
  return value;
}

function optionalText(body: Record<string, unknown>, key: string): string {
  return body[key] === undefined ? '' : text(body, key);
}

function number(body: Record<string, unknown>, key: string): number {
  const value = typeof body[key] === 'string' ? Number(body[key]) : body[key]; // query strings are text
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new HcpError(ErrorCode.MALFORMED, `"${key}" is a whole number`);
  return value;
}

function optionalNumber(body: Record<string, unknown>, key: string): number | undefined {
  return body[key] === undefined || body[key] === null ? undefined : number(body, key);
}

function userJson(u: UserInfo): object {
  return { name: u.name, address: u.address, since: u.since.toISOString(), transport: u.transport, role: u.role ?? null, mutedUntil: u.mutedUntil?.toISOString() ?? null };
}

function banJson(b: Ban): object {
  return { id: b.id, kind: b.kind, value: b.value, until: b.until?.toISOString() ?? null, reason: b.reason, by: b.by, at: b.at.toISOString() };
}

/** A report as `GET reports` lists it (and `howdy admin reports` prints it). */
export function reportJson(r: Report): object {
  return {
    id: r.id, at: r.at.toISOString(), reporter: r.reporter, msgId: r.msgId, from: r.from, to: r.to, text: r.text, reason: r.reason,
    closedBy: r.closed?.by ?? null, closedAt: r.closed?.at.toISOString() ?? null,
  };
}
