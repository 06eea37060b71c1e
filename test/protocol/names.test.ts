import { describe, expect, it } from 'vitest';
import { ErrorCode, isReservedName, nameKey, validateName } from '../../src/protocol/index.js';

describe('name rules (docs/protocol.md §2)', () => {
  it('accepts 1 to 64 bytes of UTF-8 and returns the NFC form', () => {
    expect(validateName('a')).toBe('a');
    expect(validateName('x'.repeat(64))).toBe('x'.repeat(64));
    expect(validateName('Zoe\u0301')).toBe('Zoé');
    expect(validateName('Jon Stewart')).toBe('Jon Stewart');
    expect(validateName('é'.repeat(32))).toBe('é'.repeat(32)); // 64 bytes
  });
  it.each([
    ['', ErrorCode.NAME_INVALID],
    ['x'.repeat(65), ErrorCode.NAME_INVALID],
    ['é'.repeat(33), ErrorCode.NAME_INVALID],
    [' alice', ErrorCode.NAME_INVALID],
    ['alice ', ErrorCode.NAME_INVALID],
    ['al\u0007ice', ErrorCode.NAME_INVALID],
    ['al\nice', ErrorCode.NAME_INVALID],
    ['All', ErrorCode.NAME_RESERVED],
    ['aLL', ErrorCode.NAME_RESERVED],
    ['SERVER', ErrorCode.NAME_RESERVED],
    ['server', ErrorCode.NAME_RESERVED],
    ['everyone', ErrorCode.NAME_RESERVED], // the clients show All as "Everyone"
    ['EVERYONE', ErrorCode.NAME_RESERVED],
    ['you', ErrorCode.NAME_RESERVED], // and the user's own lines as "You"
    ['#tea', ErrorCode.NAME_RESERVED], // rooms' names (docs/protocol.md §10.4)
    ['#', ErrorCode.NAME_RESERVED],
  ])('refuses %j with code %i', (name, code) => {
    expect(() => validateName(name)).toThrow(expect.objectContaining({ code }));
  });
  it('makes names unique without regard to case or normalisation', () => {
    expect(nameKey('Alice')).toBe(nameKey('alice'));
    expect(nameKey('STRASSE')).toBe(nameKey('straße'));
    expect(nameKey('Zoe\u0301')).toBe(nameKey('ZOÉ'));
    expect(isReservedName('all')).toBe(true);
    expect(isReservedName('Alli')).toBe(false);
    expect(isReservedName('Everyone else')).toBe(false);
  });
});
