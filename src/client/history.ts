import { nameKey, type ExtensionFields } from '../protocol/index.js';

/**
 * A message as a client shows it: received, or the user's own (`own`). From a server that keeps
 * history (docs/protocol.md §11) it carries its `id` and the server's `time` (ms since 1970).
 */
export interface ClientMessage {
  from: string;
  to: string;
  text: string;
  own: boolean;
  id?: number;
  time?: number;
}

/** A message the server stamped (a STAMPED frame, or a message entry of a page: §11). */
export interface StampedMessage extends ClientMessage {
  id: number;
  time: number;
  /** Deleted by its sender: its text is then empty. */
  deleted: boolean;
}

/** A page of one conversation, oldest first; `more` when there is more beyond it (HISTORY, CATCH_UP). */
export interface HistoryPage {
  messages: StampedMessage[];
  more: boolean;
}

/** A search hit, with the conversation it belongs to: `All`, a room, or the other party of whispers (SEARCH, §11). */
export interface SearchHit extends StampedMessage {
  conversation: string;
}

/** Where a page starts: older than `before` (none: the newest), or newer than `after`; never both (HISTORY, §11). */
export type PageAt = { before?: number; after?: never } | { after: number; before?: never };

/** A message the server deleted (DELETED, §11): `conversation` as the user names it. */
export interface DeletedMessage {
  id: number;
  conversation: string;
}

/** Whether a message came stamped (STAMPED, from a server that granted `history`: §11). */
export function isStamped(m: ClientMessage): m is StampedMessage {
  return m.id !== undefined;
}

/** A STAMPED frame's or a message entry's fields as a message; `me` (the user's name) tells the user's own. */
export function stampedOf(f: ExtensionFields, me: string | undefined): StampedMessage | undefined {
  if (f.msgId === undefined || f.from === undefined || f.to === undefined) return undefined;
  return {
    id: f.msgId,
    time: f.time ?? 0,
    from: f.from,
    to: f.to,
    text: f.text ?? '',
    own: me !== undefined && nameKey(f.from) === nameKey(me),
    deleted: f.deleted ?? false,
  };
}

/** A REPLY's message entries as a page (HISTORY, CATCH_UP). */
export function pageOf(f: ExtensionFields, me: string | undefined): HistoryPage {
  return { messages: (f.entry ?? []).flatMap((e) => stampedOf(e, me) ?? []), more: f.more ?? false };
}

/** Every page from `after` on: asked again from the last message while the server says there is more (§11). */
export async function pagesAfter(after: number, ask: (after: number) => Promise<HistoryPage>): Promise<StampedMessage[]> {
  const messages: StampedMessage[] = [];
  for (let from = after; ; ) {
    const page = await ask(from);
    messages.push(...page.messages);
    const last = page.messages.at(-1);
    if (!page.more || last === undefined) return messages;
    from = last.id;
  }
}

/** How many ids SeenMessages remembers to drop duplicates by; the oldest go first. */
const REMEMBERED = 10_000;

/**
 * The messages a session has shown, by id (docs/protocol.md §11): the highest id seen (the cursor a
 * catch-up starts from), and the recent ids, so that no message is shown twice (a whisper to
 * oneself comes as the whisper and as the echo; a catch-up may overlap what came live).
 */
export class SeenMessages {
  private readonly ids = new Set<number>();

  constructor(
    /** The highest id seen; undefined until one is. */
    public cursor?: number,
  ) {}

  /** The messages not seen before, in the order given; each is seen from now on. */
  fresh<M extends { id: number }>(messages: readonly M[]): M[] {
    return messages.filter((m) => this.see(m.id));
  }

  /** Forgets every id: the server's history is not the one they came from (reset: §11's ids start again). */
  forget(): void {
    this.ids.clear();
    this.cursor = undefined;
  }

  /** Whether `id` is new (then seen from now on). */
  see(id: number): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > REMEMBERED) this.ids.delete(this.ids.values().next().value!);
    this.cursor = Math.max(this.cursor ?? 0, id);
    return true;
  }
}

/**
 * What a catch-up shows (§11, "Catching up exactly once"): the messages missed and the live ones
 * that came meanwhile, each once, in the order the server relayed them (by id: every missed one
 * comes before every live one), without those already seen. `caughtUp` are those that did not
 * come live; a deleted one is never shown (there is nothing left of it to show), but is seen.
 */
export function mergeCatchUp(missed: readonly StampedMessage[], live: readonly StampedMessage[], seen: SeenMessages): { show: StampedMessage[]; caughtUp: StampedMessage[] } {
  const liveIds = new Set(live.map((m) => m.id));
  const show = seen.fresh([...missed, ...live].sort((a, b) => a.id - b.id)).filter((m) => !m.deleted);
  return { show, caughtUp: show.filter((m) => !liveIds.has(m.id)) };
}
