import type { Member } from './ports.js';

/**
 * Finds online users by the exact bytes of a name field, without decoding it: the receiver lookup
 * of every relayed message. A name written any other way (other case, other normalisation) is
 * not found here and takes the slow path through the name key.
 */
export class FieldIndex<M extends Member> {
  private readonly byHash = new Map<number, M>();

  add(member: M): void {
    const h = fnv1a(member.nameField!, 0, member.nameLength);
    if (!this.byHash.has(h)) this.byHash.set(h, member); // a collision just means the slow path
  }

  remove(member: M): void {
    const h = fnv1a(member.nameField!, 0, member.nameLength);
    if (this.byHash.get(h) === member) this.byHash.delete(h);
  }

  /** The session whose name is exactly bytes[at, at + length), if any. */
  find(bytes: Uint8Array, at: number, length: number): M | undefined {
    const s = this.byHash.get(fnv1a(bytes, at, length));
    return s && s.nameLength === length && sameBytes(bytes, at, s.nameField!, 0, length) ? s : undefined;
  }
}

function fnv1a(bytes: Uint8Array, at: number, length: number): number {
  let h = 0x811c9dc5;
  for (let i = at; i < at + length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

export function sameBytes(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (a[aAt + i] !== b[bAt + i]) return false;
  return true;
}
