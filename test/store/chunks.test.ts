/**
 * A row's JSON as the live path writes it (chunks.ts RowJson: the parts a sender repeats kept and
 * joined) is the JSON of the Row itself, whatever its strings hold, and reads back as the message.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../src/server/core/ports.js';
import { messageOf, RowJson, type Row } from '../../src/server/store/chunks.js';

const text = fc.string({ unit: 'grapheme', maxLength: 40 });
// a few strings, so that rows share their parties, and differ by one column
const few = fc.constantFrom('alice', 'a:alice', 'All', '#tea', 'w:a:alice g:bob', 'g:bob', 'bob', 'Bob');
const party = fc.oneof(text, few);
const storedMessage: fc.Arbitrary<StoredMessage> = fc.record({
  id: fc.nat(), conversation: party, at: fc.nat(), sender: party, recipient: party,
  from: party, to: party, text: fc.string({ unit: 'binary', maxLength: 200 }), deleted: fc.boolean(),
}, { requiredKeys: ['id', 'conversation', 'at', 'sender', 'from', 'to', 'text', 'deleted'] });

describe('RowJson', () => {
  it('writes what JSON.stringify writes of the row, for any strings, the same parties again and again', () => {
    const rows = new RowJson();
    fc.assert(fc.property(fc.array(storedMessage, { minLength: 1, maxLength: 8 }), (messages) => {
      for (const m of [...messages, ...messages.map((m, i) => ({ ...m, id: m.id + i + 1, text: `${m.text}${i}` }))]) {
        const row: Row = [m.id, m.conversation, m.at, m.sender, m.recipient ?? null, m.from, m.to, m.text, m.deleted ? 1 : 0];
        const json = rows.of(m);
        expect(json).toBe(JSON.stringify(row));
        expect(messageOf(JSON.parse(json) as Row)).toEqual(m);
      }
    }), { numRuns: 2_000 });
  });
});
