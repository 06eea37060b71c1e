/** Statuses through the client library against a real server (docs/protocol.md §10.3): who is away or busy, kept live per session. */
import { describe, expect, it } from 'vitest';
import type { ChatSession } from '../../src/client/session.js';
import { chatRig } from '../helpers/chat-rig.js';

const { serve, session: joined } = chatRig();

const shown = (s: ChatSession, names: string[]) => names.map((n) => `${n}: ${s.statusOf(n).status}${s.statusOf(n).message ? ` (${s.statusOf(n).message})` : ''}`);

describe('statuses through the client library', () => {
  it("a newcomer knows who is away or busy; a change reaches the others live; one's own comes from the REPLY; one who leaves is forgotten", async () => {
    const server = await serve();
    const alice = await joined(server.port, 'alice', 'alice secret');
    await alice.setProfile({ status: 'away', statusMessage: 'lunch' });
    expect(shown(alice, ['alice'])).toEqual(['alice: away (lunch)']);

    const bob = await joined(server.port, 'bob', 'bob secret');
    await expect.poll(() => shown(bob, ['alice', 'bob'])).toEqual(['alice: away (lunch)', 'bob: available']);

    const told: string[][] = [];
    bob.on('statuses', (e) => told.push(e.names));
    await alice.setProfile({ status: 'busy', statusMessage: '' });
    await expect.poll(() => shown(bob, ['ALICE'])).toEqual(['ALICE: busy']);
    expect(told).toEqual([['alice']]);

    await bob.setProfile({ status: 'away', statusMessage: 'brb' });
    expect(shown(bob, ['bob'])).toEqual(['bob: away (brb)']);
    await expect.poll(() => shown(alice, ['bob'])).toEqual(['bob: away (brb)']);

    alice.close();
    await expect.poll(() => bob.users).toEqual(['bob']);
    expect(shown(bob, ['alice'])).toEqual(['alice: available']);
  });
});
