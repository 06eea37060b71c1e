import { ErrorCode, HcpError, MsgType, nameKey, RESERVED_NAMES, type ExtensionFields, type RequestType } from '../../protocol/index.js';
import type { Logger } from '../../logging/logger.js';
import { RESUME_WINDOW_MS } from './history.js';
import type { PeerLink } from './peer.js';
import type { BlockStore } from './ports.js';
import { guard } from './store-errors.js';

/** The most users one may block: a list is held in memory and scanned to unblock. */
export const MOST_BLOCKS = 1000;

/** What blocking needs of a connection. */
export interface BlockMember {
  readonly link: PeerLink;
  readonly name: string | undefined;
  readonly key: string | undefined;
  readonly account: string | undefined;
  /** Who the user is (docs/protocol.md §11): `a:` + account key, or a guest session's `g:` id. */
  readonly identity: string;
  /**
   * The links of the online users who block this one: its messages skip them. Undefined or empty
   * for nearly everyone, so that a message's relay pays one check (docs/protocol.md §10.7).
   */
  blockedBy: Set<PeerLink> | undefined;
}

/** What blocking needs of the core: who holds a name, and whether an account does. */
export interface BlockHost<M> {
  byKey(key: string): M | undefined;
  /** The account's name as registered; undefined when the key names no account. */
  accountName(key: string): Promise<string | undefined>;
}

/** One user's blocks: the identities blocked, each with its name as last known. */
type BlockList = Map<string, string>;

/**
 * Blocking (docs/protocol.md §10.7): who blocks whom, by identity, so that a blocked account is
 * blocked on every connection and a blocked guest for its session. Every list is in memory (an
 * account's are loaded at start and written through to the store; a guest's live while its session
 * can be resumed), with the reverse index kept as `blockedBy` on each online user: the hot path
 * asks only that.
 */
export class Blocks<M extends BlockMember> {
  /** Each blocker's list, by the blocker's identity. */
  private readonly lists = new Map<string, BlockList>();
  /** Who blocks each identity: the blockers' identities. */
  private readonly blockers = new Map<string, Set<string>>();
  /** Users online, by identity. */
  private readonly online = new Map<string, M>();
  /** Guests gone whose lists wait for a resume. */
  private readonly leaving = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly store: BlockStore,
    private readonly host: BlockHost<M>,
    private readonly log: Logger,
  ) {}

  async load(): Promise<void> {
    for (const b of await guard(this.store.all())) this.add(`a:${b.blocker}`, `a:${b.blocked}`, b.name);
  }

  /** The identities `member` blocks, to keep their messages out of what it reads (history); undefined when none. */
  blockedBy(member: M): ReadonlyMap<string, string> | undefined {
    const list = this.lists.get(member.identity);
    return list && list.size > 0 ? list : undefined;
  }

  /** `member`'s name was accepted: its blockers online are linked to it, and it to those it blocks. */
  arrived(member: M): void {
    const identity = member.identity;
    clearTimeout(this.leaving.get(identity));
    this.leaving.delete(identity);
    this.online.set(identity, member);
    member.blockedBy = undefined;
    for (const blocker of this.blockers.get(identity) ?? []) {
      const by = this.online.get(blocker);
      if (by) (member.blockedBy ??= new Set()).add(by.link);
    }
    for (const target of this.lists.get(identity)?.keys() ?? []) this.link(target, member);
  }

  /** `member` is gone (or, with `identity`, was that identity until now); a guest's list waits for a resume. */
  left(member: M, identity = member.identity): void {
    if (this.online.get(identity) !== member) return;
    this.online.delete(identity);
    for (const target of this.lists.get(identity)?.keys() ?? []) this.online.get(target)?.blockedBy?.delete(member.link);
    if (identity.startsWith('g:') && this.lists.has(identity)) {
      const timer = setTimeout(() => this.drop(identity), RESUME_WINDOW_MS);
      timer.unref?.();
      this.leaving.set(identity, timer);
    }
  }

  /**
   * `member` became another identity (a guest registered its name, or an account was deleted):
   * its list goes with it, and a guest's blocks of accounts are stored for its new account. Those
   * who blocked it block it still (the same person): registering is no way out of a block, and
   * a registered blocker's block of the new account is stored.
   */
  async changed(member: M, before: string): Promise<void> {
    this.left(member, before);
    const list = this.lists.get(before);
    this.drop(before);
    if (list) {
      for (const [target, name] of list) {
        if (member.account !== undefined && target.startsWith('a:')) await guard(this.store.add(member.account, target.slice(2), new Date()));
        this.add(member.identity, target, name);
      }
    }
    for (const blocker of [...(this.blockers.get(before) ?? [])]) {
      const name = this.lists.get(blocker)?.get(before) ?? member.name!;
      this.remove(blocker, before);
      if (member.account !== undefined && blocker.startsWith('a:')) await guard(this.store.add(blocker.slice(2), member.account, new Date()));
      this.add(blocker, member.identity, name);
    }
    this.arrived(member);
  }

  /** BLOCK, UNBLOCK, BLOCKS (docs/protocol.md §10.7); resolves with the REPLY's fields. */
  async serve(member: M, type: RequestType, fields: ExtensionFields): Promise<ExtensionFields> {
    if (type === MsgType.BLOCKS) {
      return { entry: [...(this.lists.get(member.identity) ?? [])].map(([target, name]) => ({ name, registered: target.startsWith('a:') })) };
    }
    const name = fields.name;
    if (name === undefined) throw new HcpError(ErrorCode.MALFORMED, 'this request carries a NAME field');
    return type === MsgType.BLOCK ? this.block(member, name) : this.unblock(member, name);
  }

  private async block(member: M, name: string): Promise<ExtensionFields> {
    const key = nameKey(name);
    if (key === member.key) throw new HcpError(ErrorCode.BLOCK_INVALID, 'you cannot block yourself');
    if (RESERVED_NAMES.some((r) => nameKey(r) === key)) throw new HcpError(ErrorCode.BLOCK_INVALID, `"${name}" cannot be blocked`);
    // an account is blocked as the account, on every connection; a guest as its session
    const account = await this.host.accountName(key);
    const online = this.host.byKey(key);
    const target = account !== undefined ? `a:${key}` : online?.name !== undefined ? online.identity : undefined;
    const shown = account ?? online?.name;
    if (target === undefined || shown === undefined) throw new HcpError(ErrorCode.NO_SUCH_USER, `nobody called "${name}" is online or registered`);
    const list = this.lists.get(member.identity);
    if (list?.has(target)) return { name: shown };
    if ((list?.size ?? 0) >= MOST_BLOCKS) throw new HcpError(ErrorCode.BLOCK_INVALID, `you may block at most ${MOST_BLOCKS} users`);
    if (member.account !== undefined && account !== undefined) await guard(this.store.add(member.account, key, new Date()));
    this.add(member.identity, target, shown);
    if (this.online.get(member.identity) === member) this.link(target, member);
    this.log.info({ name: member.name, blocked: shown }, 'user blocked');
    return { name: shown };
  }

  private async unblock(member: M, name: string): Promise<ExtensionFields> {
    const key = nameKey(name);
    const found = [...(this.lists.get(member.identity) ?? [])].find(([, shown]) => nameKey(shown) === key);
    if (!found) throw new HcpError(ErrorCode.BLOCK_INVALID, `you have not blocked "${name}"`);
    const [target] = found;
    if (member.account !== undefined && target.startsWith('a:')) await guard(this.store.remove(member.account, target.slice(2)));
    this.remove(member.identity, target);
    this.online.get(target)?.blockedBy?.delete(member.link);
    this.log.info({ name: member.name, unblocked: found[1] }, 'user unblocked');
    return {};
  }

  /** `blocker` (online) now blocks `target`: if the target is online, its messages skip the blocker. */
  private link(target: string, blocker: M): void {
    const blocked = this.online.get(target);
    if (blocked) (blocked.blockedBy ??= new Set()).add(blocker.link);
  }

  private add(blocker: string, target: string, name: string): void {
    let list = this.lists.get(blocker);
    if (!list) this.lists.set(blocker, (list = new Map()));
    list.set(target, name);
    let by = this.blockers.get(target);
    if (!by) this.blockers.set(target, (by = new Set()));
    by.add(blocker);
  }

  private remove(blocker: string, target: string): void {
    const list = this.lists.get(blocker);
    list?.delete(target);
    if (list?.size === 0) this.lists.delete(blocker);
    const by = this.blockers.get(target);
    by?.delete(blocker);
    if (by?.size === 0) this.blockers.delete(target);
  }

  /** Forgets `blocker`'s list (a guest's that can no longer be resumed, an identity left behind). */
  private drop(blocker: string): void {
    clearTimeout(this.leaving.get(blocker));
    this.leaving.delete(blocker);
    for (const target of [...(this.lists.get(blocker)?.keys() ?? [])]) this.remove(blocker, target);
  }
}
