import { randomBytes } from 'node:crypto';
import { Capability, encodeNameField, MsgType } from '../protocol/index.js';
import { openPeer, type BenchPeer } from './peers.js';
import { openUsers } from './register.js';
import type { BenchOptions, Progress } from './run.js';
import { benchName } from './stamp.js';

/** The rooms workload's users, each seated in one room (docs/protocol.md §10.4). */
export interface Seating {
  peers: BenchPeer[];
  /** Each user's room: user i sits in room i mod R. */
  roomOf: Int32Array;
  /** Each room's name as a 64-byte receiver field. */
  roomFields: Uint8Array[];
  /** How many users each room holds. */
  roomSizes: Int32Array;
  /** Deletes the accounts the run created, and with them the rooms they own (§10.3). */
  clear(): Promise<void>;
}

/**
 * Seats the users: every one asks for `rooms` (§10.2). Only a logged-in user may create a room,
 * so each room's first user creates an account (ACCOUNT_CREATE with NAME, §10.3) and then the
 * room; the others join as guests. Account and room names carry a random tag, so a run against a
 * server that keeps its data does not meet an earlier run's.
 */
export async function seatInRooms(o: BenchOptions, progress: Progress): Promise<Seating> {
  if (o.proto !== 'framed' && o.proto !== 'ws') throw new Error('rooms are spoken over framed HCP/2 or WebSocket only (--proto framed or ws)');
  if (o.clients < 2 * o.rooms) throw new Error(`${o.rooms} rooms of two users at least need --clients ${2 * o.rooms} or more`);
  const tag = randomBytes(4).toString('hex');
  const password = randomBytes(12).toString('hex');
  const names = Array.from({ length: o.rooms }, (_, r) => `#bench-${tag}-${r}`);
  const roomOf = Int32Array.from({ length: o.clients }, (_, i) => i % o.rooms);
  const roomSizes = new Int32Array(o.rooms);
  for (const room of roomOf) roomSizes[room]!++;

  const owners = await openUsers(0, o.rooms, o.connPar, async (i) => {
    const peer = await openPeer(o.proto, i, o, { name: `${benchName(i)}-${tag}`, caps: [Capability.ACCOUNTS, Capability.ROOMS], password });
    await peer.request(MsgType.ROOM_CREATE, { room: names[i]! });
    return peer;
  }, progress, 'rooms');
  const guests = await openUsers(o.rooms, o.clients - o.rooms, o.connPar, async (i) => {
    const peer = await openPeer(o.proto, i, o, { caps: [Capability.ROOMS] });
    await peer.request(MsgType.ROOM_JOIN, { room: names[roomOf[i]!]! });
    return peer;
  }, progress);
  return {
    peers: [...owners, ...guests],
    roomOf,
    roomFields: names.map((name) => encodeNameField(name)),
    roomSizes,
    // an owner the server has dropped meanwhile leaves its account behind: nothing more to do
    clear: async () => void (await Promise.allSettled(owners.map((p) => p.request(MsgType.ACCOUNT_DELETE, { password })))),
  };
}
