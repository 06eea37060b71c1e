/** Rooms as the client library reads them (docs/protocol.md §10.4): fields to typed objects, and state kept from events. */
import { describe, expect, it } from 'vitest';
import {
  applyMemberEvent, applyRoomEvent, roomEventOf, roomInfoOf, roomMemberOf, type RoomInfo, type RoomMember,
} from '../../src/client/rooms.js';

const tea: RoomInfo = { name: '#tea', topic: 'Oolong', private: false, members: 3, joined: true, role: 'member' };
const dev: RoomInfo = { name: '#Dev', topic: '', private: true, members: 1, joined: true, role: 'owner' };

describe('room fields as typed objects', () => {
  it("reads a room's fields; a reply without JOINED but with the user's ROLE is a room the user is in (§10.4's ROOM_JOIN example)", () => {
    expect(roomInfoOf({ room: '#tea', topic: 'Oolong', private: false, role: 'member', members: 3 })).toEqual(tea);
    expect(roomInfoOf({ room: '#lobby', private: false, members: 2, joined: false })).toEqual(
      { name: '#lobby', topic: '', private: false, members: 2, joined: false },
    );
    expect(roomInfoOf({ room: '#x', members: 1, joined: true, role: 'boss' })).toEqual({ name: '#x', topic: '', private: false, members: 1, joined: true });
  });

  it('reads members and events; an event of a later version is skipped', () => {
    expect(roomMemberOf({ name: 'bob', role: 'operator', online: true, registered: true })).toEqual({ name: 'bob', role: 'operator', online: true, registered: true });
    expect(roomEventOf({ room: '#tea', event: 'join', name: 'bob', role: 'member' })).toEqual({ room: '#tea', event: 'join', name: 'bob', role: 'member' });
    expect(roomEventOf({ room: '#tea', event: 'topic', topic: 'Sencha', by: 'amy' })).toEqual({ room: '#tea', event: 'topic', topic: 'Sencha', by: 'amy' });
    expect(roomEventOf({ room: '#tea', event: 'archive', by: 'amy' })).toBeUndefined();
    expect(roomEventOf({ event: 'join', name: 'bob' })).toBeUndefined();
  });
});

describe("the user's rooms kept from events", () => {
  const rooms = [tea, dev];
  it('counts others joining and parting, in any case of the room name', () => {
    expect(applyRoomEvent(rooms, { room: '#TEA', event: 'join', name: 'bob', role: 'member' }, 'alice')[0]!.members).toBe(4);
    expect(applyRoomEvent(rooms, { room: '#tea', event: 'part', name: 'bob' }, 'alice')[0]!.members).toBe(2);
  });
  it('drops a room the user was removed from, or that was deleted; keeps the rest', () => {
    expect(applyRoomEvent(rooms, { room: '#tea', event: 'part', name: 'ALICE', by: 'amy' }, 'alice')).toEqual([dev]);
    expect(applyRoomEvent(rooms, { room: '#dev', event: 'delete', by: 'amy' }, 'alice')).toEqual([tea]);
  });
  it('follows the topic, privacy and the role of the user; a room handed over leaves its old owner an operator', () => {
    expect(applyRoomEvent(rooms, { room: '#tea', event: 'topic', topic: 'Sencha', by: 'amy' }, 'alice')[0]!.topic).toBe('Sencha');
    expect(applyRoomEvent(rooms, { room: '#tea', event: 'private', by: 'amy' }, 'alice')[0]!.private).toBe(true);
    const joinedOnly = applyRoomEvent(rooms, roomEventOf({ room: '#tea', event: 'history', history: 'joined', by: 'amy' })!, 'alice');
    expect(joinedOnly[0]!.history).toBe('joined');
    expect(applyRoomEvent(joinedOnly, { room: '#tea', event: 'history', history: 'all', by: 'amy' }, 'alice')[0]).toEqual(rooms[0]);
    expect(applyRoomEvent(rooms, { room: '#dev', event: 'public', by: 'amy' }, 'alice')[1]!.private).toBe(false);
    expect(applyRoomEvent(rooms, { room: '#tea', event: 'role', name: 'alice', role: 'operator', by: 'amy' }, 'alice')[0]!.role).toBe('operator');
    expect(applyRoomEvent(rooms, { room: '#dev', event: 'role', name: 'bob', role: 'owner', by: 'alice' }, 'alice')[1]!.role).toBe('operator');
  });
  it('leaves a join of the user themselves (added by someone) and rooms it does not know to the list', () => {
    expect(applyRoomEvent(rooms, { room: '#new', event: 'join', name: 'alice', role: 'member', by: 'amy' }, 'alice')).toEqual(rooms);
    expect(applyRoomEvent(rooms, { room: '#other', event: 'topic', topic: 'x' }, 'alice')).toEqual(rooms);
  });
});

describe("a room's members kept from events", () => {
  const members: RoomMember[] = [
    { name: 'amy', role: 'owner', online: true, registered: true },
    { name: 'bob', role: 'member', online: false, registered: true },
  ];
  it('adds who joins once, drops who parts, follows roles, empties on delete', () => {
    const joined = applyMemberEvent(members, { room: '#tea', event: 'join', name: 'cy', role: 'member' });
    expect(joined.map((m) => m.name)).toEqual(['amy', 'bob', 'cy']);
    expect(applyMemberEvent(joined, { room: '#tea', event: 'join', name: 'CY', role: 'member' })).toHaveLength(3);
    expect(applyMemberEvent(members, { room: '#tea', event: 'part', name: 'Bob' }).map((m) => m.name)).toEqual(['amy']);
    expect(applyMemberEvent(members, { room: '#tea', event: 'role', name: 'bob', role: 'owner', by: 'amy' }).map((m) => m.role)).toEqual(['operator', 'owner']);
    expect(applyMemberEvent(members, { room: '#tea', event: 'delete', by: 'amy' })).toEqual([]);
  });
});
