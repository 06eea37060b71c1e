import { FieldIndex } from './field-index.js';
import type { Directory, Member } from './ports.js';

/** The directory of one server process: names online, in memory, claimed at once. */
export class LocalDirectory<M extends Member> implements Directory<M> {
  /** By name key (case-insensitive), in order of claiming. */
  private readonly byName = new Map<string, M>();
  private readonly fields = new FieldIndex<M>();

  claim(member: M): boolean {
    if (this.byName.has(member.key!)) return false;
    this.byName.set(member.key!, member);
    this.fields.add(member);
    return true;
  }

  release(member: M): void {
    if (member.key === undefined || this.byName.get(member.key) !== member) return;
    this.byName.delete(member.key);
    this.fields.remove(member);
  }

  byKey(key: string): M | undefined {
    return this.byName.get(key);
  }

  byField(bytes: Uint8Array, at: number, length: number): M | undefined {
    return this.fields.find(bytes, at, length);
  }

  online(): Iterable<M> {
    return this.byName.values();
  }

  get size(): number {
    return this.byName.size;
  }
}
