import {
  connectWebSocket, presenceNotices, type ChatClient, type UsersEvent,
} from '../client/index.js';
import { actionOf, COMMANDS, parseCommand } from '../client/commands.js';
import { ALL, ErrorCode, HcpError, nameKey } from '../protocol/index.js';
import { Emitter } from '../client/emitter.js';
import { mentions } from './mention.js';
import { errorText } from './wording.js';

/** Where the page stands with the server: the one truth the header, the list and the composer show. */
export type LinkState =
  | { kind: 'connecting' }
  | { kind: 'ready' }
  | { kind: 'joined' }
  | { kind: 'reclaiming' }
  | { kind: 'reconnecting'; inSeconds: number }
  | { kind: 'left' };

/** One line of the log. */
export type Entry =
  | { id: number; at: Date; kind: 'message'; from: string; to: string; text: string; own: boolean; action: boolean; mention: boolean }
  | { id: number; at: Date; kind: 'notice'; text: string };

export interface PageChatEvents extends Record<string, unknown> {
  change: void;
  /** A message from someone else, for the tab title and notifications. */
  incoming: Extract<Entry, { kind: 'message' }>;
}

/** The log keeps this many lines; older ones go (a page left open for days stays light). */
const LOG_LIMIT = 2000;
/** Tries to take the name back after a reconnect while the server may still hold the old connection. */
const REJOIN_TRIES = 5;
const REJOIN_WAIT_MS = 2000;

/**
 * The chat as the page sees it, apart from how it is drawn: the connection and its state, the log,
 * who is online, whom the user talks to, and unread whispers. Components read it and call its
 * methods; it tells them to redraw with `change`.
 */
export class PageChat extends Emitter<PageChatEvents> {
  state: LinkState = { kind: 'connecting' };
  entries: Entry[] = [];
  /** The name this page registered, proposed again after a reconnect. */
  me: string | undefined;
  /** The server's address for people: this page's host, or the server `howdy gui` relays to. */
  serverName: string;
  /** Whom the user talks to: "All" or a user, kept when that user leaves (see `targetGone`). */
  target = ALL;
  unread = new Map<string, number>();
  loginError = '';
  sendError = '';
  private client: ChatClient | undefined;
  private lastWhisperer: string | undefined;
  private retryMs = 1000;
  private nextId = 1;

  constructor(private readonly wsUrl: string, serverName: string) {
    super();
    this.serverName = serverName;
  }

  /** Everyone online while the page is in the chat; nobody while it is not (the list would be stale). */
  get users(): readonly string[] {
    return this.state.kind === 'joined' && this.client ? this.client.users : [];
  }

  /** The user whispered to has left (or the page is offline): nothing can be sent to them now. */
  get targetGone(): boolean {
    return this.target !== ALL && !this.users.some((u) => nameKey(u) === nameKey(this.target));
  }

  setServerName(name: string): void {
    this.serverName = name;
    this.emit('change', undefined);
  }

  async start(): Promise<void> {
    this.setState({ kind: 'connecting' });
    let client: ChatClient;
    try {
      client = await connectWebSocket(this.wsUrl);
    } catch {
      return this.retry();
    }
    this.client = client;
    this.retryMs = 1000;
    client.on('users', (e) => this.onUsers(e));
    client.on('message', (m) => this.onMessage(m));
    client.on('error', (e) => {
      if (!e.fatal) this.setSendError(errorText(e.code, e.reason));
    });
    client.on('close', ({ reason }) => {
      if (this.client !== client) return;
      this.client = undefined;
      if (this.state.kind === 'left') return;
      this.addNotice(`Connection lost: ${reason}.`);
      this.retry();
    });
    if (this.me) await this.join(this.me, true);
    else this.setState({ kind: 'ready' });
  }

  async join(name: string, again = false, tries = REJOIN_TRIES): Promise<void> {
    if (!this.client) return;
    if (name.trim() === '') return this.setLoginError('Type a name: it cannot be only spaces.');
    this.loginError = '';
    const answer = await this.client.register(name);
    if (!answer.accepted && again && answer.code === ErrorCode.NAME_TAKEN && tries > 1) {
      // the server has not yet noticed that our old connection is gone
      this.setState({ kind: 'reclaiming' });
      await new Promise((r) => setTimeout(r, REJOIN_WAIT_MS));
      return this.join(name, true, tries - 1);
    }
    if (answer.accepted) {
      this.me = answer.name;
      this.addNotice(again ? `Reconnected as ${this.me}.` : `You joined as ${this.me}. Type /help for commands.`);
      this.setState({ kind: 'joined' });
    } else {
      this.me = undefined;
      this.setState({ kind: 'ready' });
      this.setLoginError(answer.code === undefined && !answer.reason ? 'That name is taken or not allowed; pick another.' : errorText(answer.code, answer.reason));
    }
  }

  /**
   * Handles one line typed in the composer: a slash command, or text for the current target.
   * Returns whether the line was taken (the composer then empties); a refused line stays, so
   * nothing typed is lost.
   */
  submit(line: string): boolean {
    this.sendError = '';
    const cmd = parseCommand(line, { target: this.target, users: this.users, lastWhisperer: this.lastWhisperer });
    switch (cmd.kind) {
      case 'invalid':
        return this.refuse(`${cmd.reason.charAt(0).toUpperCase()}${cmd.reason.slice(1)}.`);
      case 'help':
        for (const c of COMMANDS) this.addNotice(`${c.usage} — ${c.meaning}`);
        return this.done();
      case 'who':
        this.addNotice(`Online (${this.users.length}): ${this.users.join(', ')}.`);
        return this.done();
      case 'quit':
        this.leave();
        return true;
      case 'name':
        return this.refuse(`You are ${this.me ?? 'not named yet'}: a name cannot change while you are connected.`);
      case 'target':
        this.setTarget(this.resolve(cmd.to));
        return this.done();
      case 'say':
        return this.say(this.resolve(cmd.to), cmd.text);
    }
  }

  /** Picks whom to talk to from the list; picking the current target again goes back to everyone. */
  select(name: string): void {
    this.setTarget(nameKey(name) === nameKey(this.target) ? ALL : name);
  }

  /** Clears a user's unread badge without talking to them. */
  markRead(name: string): void {
    this.unread.delete(name);
    this.emit('change', undefined);
  }

  private say(to: string, text: string): boolean {
    if (!this.client || this.state.kind !== 'joined') return this.refuse('You are not connected right now, so nothing was sent. The page is reconnecting.');
    if (to !== ALL && !this.users.some((u) => nameKey(u) === nameKey(to))) {
      return this.refuse(to === this.target
        ? `${to} left, so your whisper was not sent. Pick someone else, or type /all to talk to everyone.`
        : `Nobody called ${to} is online, so nothing was sent.`);
    }
    try {
      this.client.send(to, text);
    } catch (err) {
      return this.refuse(err instanceof HcpError ? errorText(err.code, err.message) : String(err));
    }
    return this.done();
  }

  private leave(): void {
    this.setState({ kind: 'left' });
    this.client?.close();
    this.client = undefined;
    this.addNotice('You left. Reload the page to join again.');
  }

  /** The online spelling of a name typed in a command, so the label shows it as its owner wrote it. */
  private resolve(name: string): string {
    if (nameKey(name) === nameKey(ALL)) return ALL;
    return this.users.find((u) => nameKey(u) === nameKey(name)) ?? name;
  }

  private setTarget(name: string): void {
    this.target = name;
    this.unread.delete(name);
    this.sendError = '';
    this.emit('change', undefined);
  }

  private onUsers(e: UsersEvent): void {
    if (!e.initial) for (const line of presenceNotices(e)) this.addNotice(`${line}.`);
    else this.emit('change', undefined);
  }

  private onMessage(m: { from: string; to: string; text: string; own: boolean }): void {
    const action = actionOf(m.text);
    const entry = {
      id: this.nextId++, at: new Date(), kind: 'message' as const, from: m.from, to: m.to, own: m.own,
      text: action ?? m.text, action: action !== undefined, mention: !m.own && this.me !== undefined && mentions(m.text, this.me),
    };
    const toMe = !m.own && m.to !== ALL;
    if (toMe) {
      this.lastWhisperer = m.from;
      if (nameKey(m.from) !== nameKey(this.target)) this.unread.set(m.from, (this.unread.get(m.from) ?? 0) + 1);
    }
    this.add(entry);
    if (!m.own) this.emit('incoming', entry);
  }

  private retry(): void {
    const seconds = Math.round(this.retryMs / 1000);
    this.setState({ kind: 'reconnecting', inSeconds: seconds });
    setTimeout(() => void this.start(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
  }

  private refuse(why: string): false {
    this.setSendError(why);
    return false;
  }

  private done(): true {
    this.emit('change', undefined);
    return true;
  }

  private setState(state: LinkState): void {
    this.state = state;
    this.sendError = ''; // an error belongs to the state it happened in
    this.emit('change', undefined);
  }

  private setLoginError(text: string): void {
    this.loginError = text;
    this.emit('change', undefined);
  }

  private setSendError(text: string): void {
    this.sendError = text;
    this.emit('change', undefined);
  }

  private addNotice(text: string): void {
    this.add({ id: this.nextId++, at: new Date(), kind: 'notice', text });
  }

  private add(entry: Entry): void {
    this.entries = [...this.entries.slice(-(LOG_LIMIT - 1)), entry];
    this.emit('change', undefined);
  }
}
