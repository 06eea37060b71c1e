import type { BroadcastChannel, Form, PeerLink } from '../core/peer.js';

/** What a member link keeps of its place in the channel. */
export interface ChannelMember extends PeerLink {
  /** Subscribed: broadcasts reach it through the channel. */
  member: boolean;
  /** The turn its position refers to, and how many of that turn's frames it has taken. */
  channelTurn: number;
  channelPos: number;
  /** The rooms (keys) whose broadcasts reach it. */
  readonly rooms: Set<string>;
  /** The form of messages it takes (docs/protocol.md §11). */
  form: Form;
  flush(): void;
  /** Takes frames into its own queue, after what it holds (they are its share of the channel so far). */
  absorb(frames: Uint8Array[]): void;
}

/**
 * Broadcasts of one turn of the event loop, shared by every member link (framed TCP peers)
 * instead of being queued to each. At the end of the turn the frames are joined once into one
 * buffer, and each member writes the slices of it that are not its own: a broadcast costs the
 * server one copy in all, not one per receiver. A member that is sent a frame of its own
 * (a whisper, presence) first takes what the channel holds for it, so every peer still gets
 * each sender's frames in order. A frame may be for one room's members only: the same buffer
 * serves, each member taking the frames of the lobby and of its rooms.
 */
export class SharedBroadcast implements BroadcastChannel {
  turn = 0;
  frames: Uint8Array[] = [];
  senders: Array<PeerLink | undefined> = [];
  /** Each frame's room, or undefined for the lobby's. */
  audiences: Array<string | undefined> = [];
  /** Each frame's form, or undefined for a frame every member takes. */
  forms: Array<Form | undefined> = [];
  /** Each frame's members that do not take it (they block its sender, docs/protocol.md §10.7), or undefined: nearly always. */
  excepts: Array<ReadonlySet<PeerLink> | undefined> = [];
  private readonly members = new Set<ChannelMember>();
  /** The turn's frames joined, and where each starts in it; set at the end of the turn. */
  private joined: Uint8Array | undefined;
  private starts: number[] = [];
  private bytes = 0;

  constructor(private readonly schedule: () => void) {}

  get memberCount(): number {
    return this.members.size;
  }

  subscribe(link: ChannelMember, stamped: boolean): void {
    link.form = stamped ? 'stamped' : 'plain';
    this.members.add(link);
    link.member = true;
    link.channelTurn = this.turn;
    link.channelPos = this.frames.length; // nothing sent before it joined
  }

  unsubscribe(link: ChannelMember): void {
    this.members.delete(link);
    link.member = false;
  }

  enterRoom(link: ChannelMember, room: string): void {
    this.settle(link); // nothing said in the room before it came in
    link.rooms.add(room);
  }

  leaveRoom(link: ChannelMember, room: string): void {
    this.settle(link); // what was said while it was in the room still reaches it
    link.rooms.delete(room);
  }

  broadcast(frame: Uint8Array, sender: PeerLink | undefined, room?: string, form?: Form, except?: ReadonlySet<PeerLink>): void {
    if (this.frames.length === 0) this.schedule();
    this.frames.push(frame);
    this.senders.push(sender);
    this.audiences.push(room);
    this.forms.push(form);
    this.excepts.push(except);
    this.bytes += frame.length;
  }

  /** `link` takes what the channel holds for it now, so that a change of its rooms applies from here on. */
  private settle(link: ChannelMember): void {
    if (this.pendingFor(link) > 0) link.absorb(this.take(link));
  }

  /** Whether the turn's frame `i` is for `link`: not its own, in its form, not from one it blocks, and of the lobby or of a room it is in. */
  private isFor(i: number, link: ChannelMember): boolean {
    if (this.senders[i] === link) return false;
    const form = this.forms[i];
    if (form !== undefined && form !== link.form) return false;
    const except = this.excepts[i];
    if (except !== undefined && except.has(link)) return false;
    const room = this.audiences[i];
    return room === undefined || link.rooms.has(room);
  }

  /** How many of this turn's frames `link` has yet to take. */
  pendingFor(link: ChannelMember): number {
    return link.member ? this.frames.length - this.posOf(link) : 0;
  }

  /** The frames `link` has yet to take (not its own), as they are; it has then taken them. */
  take(link: ChannelMember): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let i = this.posOf(link); i < this.frames.length; i++) if (this.isFor(i, link)) out.push(this.frames[i]!);
    this.advance(link);
    return out;
  }

  /** Once the turn is over: what `link` has yet to take, as slices of the joined frames. */
  takeSlices(link: ChannelMember): Uint8Array[] | undefined {
    const joined = this.joined;
    if (!joined) return undefined;
    const slices: Uint8Array[] = [];
    let runStart = -1;
    const n = this.frames.length;
    for (let i = this.posOf(link); i <= n; i++) {
      const skip = i === n || !this.isFor(i, link);
      if (!skip && runStart < 0) runStart = i;
      if (skip && runStart >= 0) {
        slices.push(joined.subarray(this.starts[runStart]!, i === n ? joined.length : this.starts[i]!));
        runStart = -1;
      }
    }
    this.advance(link);
    return slices;
  }

  /** The end of the turn: join the frames once, let every member write its share, start anew. */
  flushTurn(): void {
    if (this.frames.length === 0) return;
    if (this.frames.length === 1) {
      this.joined = this.frames[0]; // a quiet turn: nothing to join
      this.starts = [0];
    } else {
      const joined = new Uint8Array(this.bytes);
      let at = 0;
      this.starts = this.frames.map((f) => {
        joined.set(f, at);
        at += f.length;
        return at - f.length;
      });
      this.joined = joined;
    }
    for (const link of this.members) if (this.pendingFor(link) > 0) link.flush();
    this.turn++;
    this.frames = [];
    this.senders = [];
    this.audiences = [];
    this.forms = [];
    this.excepts = [];
    this.bytes = 0;
    this.joined = undefined;
  }

  private posOf(link: ChannelMember): number {
    return link.channelTurn === this.turn ? link.channelPos : 0;
  }

  private advance(link: ChannelMember): void {
    link.channelTurn = this.turn;
    link.channelPos = this.frames.length;
  }
}
