import type Database from 'better-sqlite3';
import type { Noted } from './history-writer.js';

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
 * `conversations` (32 bits, little-endian; 0: no message has that id). The ids appended are noted
 * in memory (history-sqlite.ts) and written with the next chunks put in place, in the same
 * transaction: a chunk in place always has its messages located.
 */
export class Locator {
  /** Conversations' numbers known to be written (beyond NUMBERED_MOST, the map starts anew). */
  private readonly numbers = new Map<string, number>();
  /** Numbers given in the write under way (known once it is committed). */
  private readonly given = new Map<string, number>();
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
   * Writes where the ids `noted` are, inside the transaction that puts their chunks in place (or
   * earlier ones): conversations new to the database get their numbers, and each block touched is
   * read and written whole. Blocks are not kept in memory: two connections write them (the
   * writer's thread, and the store's own when it settles; history-writer.ts).
   */
  write({ ids, conversations }: Noted): void {
    this.given.clear();
    let last = -1;
    let block = -1;
    let nos: Buffer | undefined;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const conversation = conversations[i]!;
      let no = this.numbers.get(conversation) ?? this.given.get(conversation);
      if (no === undefined) {
        no = this.statements.numberOf.get(conversation)?.no;
        if (no === undefined) {
          if (last < 0) last = this.statements.lastNumber.get()!.n;
          no = ++last;
          this.statements.number.run(no, conversation);
        }
        this.given.set(conversation, no);
      }
      if (Math.floor(id / LOCATOR_SPAN) !== block) {
        if (nos) this.statements.write.run(block, nos);
        block = Math.floor(id / LOCATOR_SPAN);
        nos = this.statements.block.get(block)?.nos ?? Buffer.alloc(4 * LOCATOR_SPAN);
      }
      nos!.writeUInt32LE(no, 4 * (id % LOCATOR_SPAN));
    }
    if (nos) this.statements.write.run(block, nos);
  }

  /** The write's transaction was committed: the numbers it gave are known. */
  written(): void {
    if (this.numbers.size + this.given.size > NUMBERED_MOST) this.numbers.clear();
    for (const [conversation, no] of this.given) this.numbers.set(conversation, no);
    this.given.clear();
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
