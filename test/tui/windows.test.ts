/** The terminal client's windows and what room events say in them (pure parts). */
import { describe, expect, it } from 'vitest';
import { membersText, roomEventText, roomsText } from '../../src/tui/room-commands.js';
import { Windows } from '../../src/tui/windows.js';
import type { LogEntry } from '../../src/tui/log-rows.js';

const entry = (kind: LogEntry['kind'], text = 'x'): LogEntry => ({ time: '12:00', kind, text });
const bar = (w: Windows, compact = false) => w.labels(compact).map((l) => l.text).join(' ');

describe('windows', () => {
  it('open in order after the lobby, are found in any case, and mark what was said unseen', () => {
    const w = new Windows();
    const tea = w.open('#tea');
    const bob = w.open('bob');
    expect(w.open('#TEA')).toBe(tea);
    expect([tea.kind, bob.kind, w.lobby.kind]).toEqual(['room', 'whisper', 'lobby']);
    w.add(tea, entry('message'));
    w.add(bob, entry('notice'));
    w.add(w.lobby, entry('message'));
    expect(bar(w)).toBe('[1:All] 2:#tea* 3:bob');
    expect(bar(w, true)).toBe('[1:All] 2* 3');
    expect(w.show(1)).toBe(true);
    expect(bar(w)).toBe('1:All [2:#tea] 3:bob');
    expect(w.show(5)).toBe(false);
  });

  it('cycle round, and closing the one shown shows the one before it; the lobby stays', () => {
    const w = new Windows();
    w.open('#tea');
    w.showConversation('bob');
    w.cycle(1);
    expect(w.active).toBe(w.lobby);
    w.cycle(-1);
    expect(w.active.conversation).toBe('bob');
    expect(w.close('BOB')).toBe(true);
    expect(w.active.conversation).toBe('#tea');
    expect(w.close('All')).toBe(false);
    expect(w.close('nobody')).toBe(false);
  });
});

describe('room texts', () => {
  it('tell events in plain words, the user as "you"; being taken out is an alarm', () => {
    expect(roomEventText({ room: '#tea', event: 'join', name: 'bob', role: 'member' }, 'alice')).toEqual({ text: 'bob joined #tea', alarm: false });
    expect(roomEventText({ room: '#tea', event: 'join', name: 'alice', role: 'member', by: 'bob' }, 'alice').text).toBe('bob added you to #tea');
    expect(roomEventText({ room: '#tea', event: 'part', name: 'ALICE', by: 'bob' }, 'alice')).toEqual({ text: 'bob removed you from #tea', alarm: true });
    expect(roomEventText({ room: '#tea', event: 'part', name: 'cy' }, 'alice')).toEqual({ text: 'cy left #tea', alarm: false });
    expect(roomEventText({ room: '#tea', event: 'topic', topic: '', by: 'bob' }, 'alice').text).toBe('bob cleared the topic');
    expect(roomEventText({ room: '#tea', event: 'role', name: 'cy', role: 'owner', by: 'bob' }, 'alice').text).toBe('bob handed #tea over to cy');
    expect(roomEventText({ room: '#tea', event: 'role', name: 'bob', role: 'operator', by: 'bob' }, 'alice').text).toBe('bob is an operator now');
    expect(roomEventText({ room: '#tea', event: 'role', name: 'alice', role: 'member', by: 'bob' }, 'alice').text).toBe('bob made you a plain member');
    expect(roomEventText({ room: '#tea', event: 'delete', by: 'bob' }, 'alice')).toEqual({ text: 'bob deleted #tea', alarm: true });
  });

  it('list rooms and members', () => {
    expect(roomsText([])).toBe('No rooms yet: /join #name creates one (registered users).');
    expect(roomsText([
      { name: '#tea', topic: 'Oolong', private: false, members: 3, joined: true, role: 'operator' },
      { name: '#den', topic: '', private: true, members: 1, joined: false },
    ])).toBe('Rooms (2): /join #name joins one\n  #tea (3 members, joined, operator): Oolong\n  #den (1 member, private)');
    expect(membersText('#tea', [
      { name: 'cy', role: 'member', online: false, registered: false },
      { name: 'amy', role: 'owner', online: true, registered: true },
    ])).toBe('#tea: 2 members\n  ~amy: owner, online\n   cy: member, offline, a guest');
  });
});
