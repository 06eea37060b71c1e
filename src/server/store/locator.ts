import type Database from 'better-sqlite3';

/** Message ids a locator row covers: an aligned block of them. */
export const LOCATOR_SPAN = 4096;
/** Conversations kept numbered in memory (beyond, the map starts anew and asks the database). */
const NUMBERED_MOST = 100_000;

/**
 * Which conversation each message id is in (schema v12): a message is found by its id alone (to
 * delete it, a search's hits) through its conversation's chunks, which its index orders. A
 * conversation's chunk may hold messages from across a second or more of everyone's (200 people
 * whispering fill it; chunks.ts), so no range of ids says which chunk holds one.
 *
 * `locators` has a row a block of LOCATOR_SPAN ids: for each id, its conversation's number in
 * `conversations` (32 bits, little-endian; 0: no message has that id). Numbers and blocks are
 * noted in memory as messages are appended, and written with the chunks they go in place with, in
 * the same transaction: a chunk in place always has its messages located.
 */
export class Locator {
  /** Conversations' numbers known to be written (beyond NUMBERED_MOST, the map starts anew). */
  private readonly numbers = new Map<string, number>();
  /** Ids noted whose conversation's number is not known yet: looked up, or given, at the write. */
  private unnumbered: Array<[number, string]> = [];
  /** Numbers given in the write under way (known once it is committed). */
  private readonly given = new Map<string, number>();
  /** Blocks noted since the last write, and the newest block (kept to be added to). */
  private readonly blocks = new Map<number, Buffer>();
  private readonly changed = new Set<number>();
  /** Blocks in `blocks` that hold what the database had of them (else it is merged in at the write). */
  private readonly merged = new Set<number>();
  private readonly statements: {
    numberOf: Database.Statement<[string], { no: number }>;
    keyOf: Database.Statement<[number], { key: string }>;
    block: Database.Statement<[number], { nos: Buffer }>;
    lastNumber: Database.Statement<[], { n: number }>;
    number: Database.Statement<[number, string]>;
    write: Database.Statement<[number, Buffer]>;
    dropBefore: Database.Statement<[number]>;
  };

  constructor(database: Database.Database) {
    this.statements = {
      numberOf: database.prepare('select no from conversations where key = ?'),
      keyOf: database.prepare('select key from conversations where no = ?'),
      block: database.prepare('select nos from locators where block = ?'),
      lastNumber: database.prepare('select coalesce(max(no), 0) as n from conversations'),
      number: database.prepare('insert into conversations (no, key) values (?, ?)'),
      write: database.prepare('insert or replace into locators (block, nos) values (?, ?)'),
      dropBefore: database.prepare('delete from locators where block < ?'),
    };
  }

  /**
   * Message `id` is in `conversation`, to be written with the next chunks put in place. On the
   * live path: memory only (a database gone or full is met by the write, which can wait).
   */
  note(id: number, conversation: string): void {
    const block = Math.floor(id / LOCATOR_SPAN);
    let nos = this.blocks.get(block);
    if (!nos) this.blocks.set(block, (nos = Buffer.alloc(4 * LOCATOR_SPAN)));
    const no = this.numbers.get(conversation);
    if (no === undefined) this.unnumbered.push([id, conversation]);
    else nos.writeUInt32LE(no, 4 * (id % LOCATOR_SPAN));
    this.changed.add(block);
  }

  /**
   * Writes what was noted since the last write, inside the transaction that puts chunks in place:
   * conversations new to the database get their numbers, blocks take in what the database had.
   */
  write(): void {
    this.given.clear();
    let last = -1;
    for (const [id, conversation] of this.unnumbered) {
      let no = this.numbers.get(conversation) ?? this.given.get(conversation) ?? this.statements.numberOf.get(conversation)?.no;
      if (no === undefined) {
        if (last < 0) last = this.statements.lastNumber.get()!.n;
        no = ++last;
        this.statements.number.run(no, conversation);
      }
      this.given.set(conversation, no);
      this.blocks.get(Math.floor(id / LOCATOR_SPAN))!.writeUInt32LE(no, 4 * (id % LOCATOR_SPAN));
    }
    for (const block of this.changed) {
      const nos = this.blocks.get(block)!;
      if (!this.merged.has(block)) {
        const stored = this.statements.block.get(block)?.nos;
        for (let at = 0; stored && at < nos.length; at += 4) if (nos.readUInt32LE(at) === 0) nos.writeUInt32LE(stored.readUInt32LE(at), at);
        this.merged.add(block);
      }
      this.statements.write.run(block, nos);
    }
  }

  /** The write's transaction was committed: what it wrote is known; only the newest block stays in memory. */
  written(): void {
    if (this.numbers.size + this.given.size > NUMBERED_MOST) this.numbers.clear();
    for (const [conversation, no] of this.given) this.numbers.set(conversation, no);
    this.given.clear();
    this.unnumbered = [];
    const newest = Math.max(...this.changed);
    this.changed.clear();
    for (const block of this.blocks.keys()) {
      if (block < newest) {
        this.blocks.delete(block);
        this.merged.delete(block);
      }
    }
  }

  /** The conversation message `id` is in, as written; undefined if none is noted. `cache`: blocks read, kept by the caller for its next ids. */
  conversationOf(id: number, cache?: Map<number, Buffer | undefined>): string | undefined {
    const block = Math.floor(id / LOCATOR_SPAN);
    let nos = cache?.get(block);
    if (nos === undefined && !cache?.has(block)) {
      nos = this.statements.block.get(block)?.nos;
      cache?.set(block, nos);
    }
    const no = nos?.readUInt32LE(4 * (id % LOCATOR_SPAN)) ?? 0;
    return no === 0 ? undefined : this.statements.keyOf.get(no)?.key;
  }

  /** Forgets the blocks wholly before id `id` (their messages are gone). */
  dropBefore(id: number): void {
    this.statements.dropBefore.run(Math.floor(id / LOCATOR_SPAN));
  }
}
