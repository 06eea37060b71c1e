/** How the web client words rooms' events (docs/protocol.md §10.4): others', and the user's own, as "you". */
import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../src/client/index.js';
import { changesMembership, membersText, roomEventText, roomsText } from '../../src/web/room-words.js';

const said = (e: Omit<RoomEvent, 'room'>, me = 'dora') => roomEventText({ room: '#tea', ...e }, me);

describe('room events in plain words', () => {
  it('tells who came and went, and who added or removed them', () => {
    expect(said({ event: 'join', name: 'bob', role: 'member' })).toBe('bob joined.');
    expect(said({ event: 'join', name: 'bob', role: 'member', by: 'alice' })).toBe('bob was added by alice.');
    expect(said({ event: 'join', name: 'Dora', role: 'member', by: 'alice' })).toBe('You were added by alice.');
    expect(said({ event: 'join', name: 'bob', by: 'dora' })).toBe('You added bob.');
    expect(said({ event: 'part', name: 'carol' })).toBe('carol left.');
    expect(said({ event: 'part', name: 'carol', by: 'bob' })).toBe('carol was removed by bob.');
    expect(said({ event: 'part', name: 'dora', by: 'bob' })).toBe('You were removed by bob.');
  });

  it('tells changes to the topic, the privacy, the roles, and the room\'s end', () => {
    expect(said({ event: 'topic', topic: 'Oolong', by: 'alice' })).toBe('alice set the topic to “Oolong”.');
    expect(said({ event: 'topic', topic: '', by: 'dora' })).toBe('You cleared the topic.');
    expect(said({ event: 'private', by: 'alice' })).toMatch(/^alice made the room private/);
    expect(said({ event: 'public', by: 'alice' })).toMatch(/^alice made the room public/);
    expect(said({ event: 'role', name: 'bob', role: 'operator', by: 'alice' })).toBe('alice made bob an operator.');
    expect(said({ event: 'role', name: 'dora', role: 'member', by: 'alice' })).toBe('alice made you a plain member.');
    expect(said({ event: 'role', name: 'dora', role: 'owner', by: 'alice' })).toBe('alice handed the room over to you.');
    expect(said({ event: 'delete', by: 'alice' })).toBe('The room was deleted by alice.');
    expect(said({ event: 'delete', by: 'Dora' })).toBe('You deleted the room.');
  });

  it('knows which events take the user in or out of a room', () => {
    expect(changesMembership({ room: '#tea', event: 'join', name: 'DORA', by: 'alice' }, 'dora')).toBe(true);
    expect(changesMembership({ room: '#tea', event: 'part', name: 'dora' }, 'dora')).toBe(true);
    expect(changesMembership({ room: '#tea', event: 'delete', by: 'alice' }, 'dora')).toBe(true);
    expect(changesMembership({ room: '#tea', event: 'join', name: 'bob' }, 'dora')).toBe(false);
    expect(changesMembership({ room: '#tea', event: 'role', name: 'dora', role: 'operator' }, 'dora')).toBe(false);
  });
});

describe('room lists in plain words', () => {
  it('lists rooms and members for /rooms and /members', () => {
    expect(roomsText([])).toBe('There are no rooms yet: the + beside Rooms creates one.');
    expect(roomsText([
      { name: '#tea', topic: 'Oolong', private: false, members: 3, joined: true, role: 'member' },
      { name: '#plans', topic: '', private: true, members: 1, joined: true, role: 'owner' },
    ])).toBe('Rooms (2):\n#tea (3 members, you are in it): Oolong\n#plans (1 member, private, you are in it)');
    const members = [
      { name: 'zed', role: 'member' as const, online: false, registered: false },
      { name: 'bob', role: 'operator' as const, online: true, registered: true },
      { name: 'alice', role: 'owner' as const, online: true, registered: true },
    ];
    expect(membersText('#tea', members, (name) => name !== 'zed'))
      .toBe('#tea: 3 members\nalice: owner, online\nbob: operator, online\nzed: member, offline, a guest');
  });
});
