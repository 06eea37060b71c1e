import {
  ChatSession, connectWebSocket, findRoom, isRoomName, LastingState, presenceNotices,
  type ClientMessage, type RoomEvent, type RoomInfo, type SearchHit, type SessionState, type StampedMessage, type UserStatus,
} from '../client/index.js';
import {
  COMMANDS, HISTORY_COMMANDS, isHistoryCommand, isModerationCommand, isRoomCommand, MODERATION_COMMANDS, parseCommand, ROOM_COMMANDS,
  type Command, type HistoryCommand, type ModerationCommand, type RoomCommand,
} from '../client/commands.js';
import type { BlockEntry, ChatClient } from '../client/client.js';
import { moderationResult } from '../client/moderation-commands.js';
import { reportedMessageId, type StaffRole } from '../client/moderation.js';
import { newPasswordProblem } from './components/password-field.js';
import { Emitter } from '../client/emitter.js';
import { ALL, ErrorCode, HcpError, nameKey, SERVER, type ExtensionFields } from '../protocol/index.js';
import type { ConversationLog } from './conversation-log.js';
import { Conversations } from './conversations.js';
import { isWhisper, lineEntry, messageEntry, type Entry, type MessageEntry } from './entries.js';
import { HistoryPages } from './history-pages.js';
import { RoomRequests } from './room-requests.js';
import { changesMembership, roomEventText } from './room-words.js';
import { TabMemory, tabStorage } from './tab-memory.js';
import { errorText, sentence } from './wording.js';

export interface PageChatEvents extends Record<string, unknown> {
  change: void;
  /** A message from someone else, for the tab title and notifications. */
  incoming: MessageEntry;
  /** Something happened in a room the user is in, by someone else or by the user (docs/protocol.md §10.4). */
  room: RoomEvent;
  /** A command asks for a dialog (§11): the search (`/search WORDS`), or deleting the user's last message here (`/delete`). */
  dialog: { kind: 'search'; query: string } | { kind: 'delete-message'; entry: MessageEntry } | { kind: 'report-message'; entry: MessageEntry; reason?: string };
}

/** How the name form takes a name: as a guest, by logging in, or by creating an account with it. */
export type NameMode = 'guest' | 'login' | 'create';

/** What an account request came to: its answer, or what to tell the user, in plain words. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

export type Profile = Pick<ExtensionFields, 'displayName' | 'about' | 'status' | 'statusMessage'>;

/** A password change or an account's deletion is confirmed with the password: LOGIN_FAILED means that one is wrong. */
const WRONG_CURRENT_PASSWORD = { [ErrorCode.LOGIN_FAILED]: 'That is not your current password.' };

/** A message to show at once, picked out for a moment (a search hit): `n` tells one click from the next on the same hit. */
export interface Highlight {
  conversation: string;
  id: number;
  n: number;
}

/**
 * The chat as the page sees it, apart from how it is drawn: the session (connection, reconnects,
 * target, sending, rooms, history: src/client/session.ts, shared with the terminal client) and the
 * conversations, each with its log and unread count: the lobby, the user's rooms, the people
 * whispered with. The conversation shown is the one the user talks to (the session's target).
 * Components read it and call its methods; it tells them to redraw with `change`.
 *
 * History (docs/protocol.md §11): the tab keeps the last message seen and a guest's token (the
 * session does, in sessionStorage), so a reload takes the guest's session up again, or asks a
 * registered user's password, and catches up; each log grows with pages of history.
 */
export class PageChat extends Emitter<PageChatEvents> {
  /** The server's address for people: this page's host, or the server `howdy gui` relays to. */
  serverName: string;
  /** The room requests (docs/protocol.md §10.4) of the dialogs and of the slash commands. */
  readonly roomRequests: RoomRequests;
  /** The server has rooms: it granted them when the user last joined (kept while reconnecting). */
  roomsOffered = false;
  /** The server keeps history (§11): granted when the user last joined (kept while reconnecting). */
  historyOffered = false;
  /** The server's message of the day (docs/protocol.md §10.5), shown at the top of the lobby. */
  notice: string | undefined;
  /** The message a search hit opened, picked out for a moment. */
  highlight: Highlight | undefined;
  /** The name of the guest's session the page takes up again after a reload (§11), until it has. */
  resuming: string | undefined;
  /** The pages of history that grow the logs (§11). */
  readonly history: HistoryPages;
  loginError = '';
  /** Why the line just typed was not sent; it belongs to the moment, so a change of state clears it. */
  sendError = '';
  /** The user typed /quit: no reconnecting. */
  left = false;
  /** The name form: how the name is taken, and the name typed (a refusal may fill it in). */
  nameForm: { mode: NameMode; name: string } = { mode: 'guest', name: '' };
  /**
   * The session (src/client/session.ts) keeps the password of an account logged in to, in memory
   * only, and logs in again after a reconnect; the page never stores it nor shows it.
   */
  private readonly session: ChatSession;
  /** The name being taken (or held) is an account's, taken with its password. */
  private byAccount = false;
  private readonly conversations = new Conversations();
  /** The conversation shown and the account's name, kept for the tab beyond a reload. */
  private readonly memory: TabMemory;
  /** The conversation shown before a reload, shown again once it is there (a room, once the rooms are known). */
  private shownBefore: string | undefined;
  /** Whether the tab is in view: messages that come while it is not are new to the user. */
  private tabVisible = true;
  private highlights = 0;

  constructor(wsUrl: string, serverName: string) {
    super();
    this.serverName = serverName;
    const storage = tabStorage();
    this.memory = new TabMemory(storage);
    this.session = new ChatSession(() => connectWebSocket(wsUrl), { storage });
    this.resuming = new LastingState(storage).guest?.name;
    if (this.resuming !== undefined) this.session.join(this.resuming);
    else if (this.memory.account !== undefined) this.nameForm = { mode: 'login', name: this.memory.account };
    this.session.on('state', () => {
      this.sendError = '';
      this.changed();
    });
    this.session.on('connected', () => {
      // a session without a cursor saw nothing of this server's history: one that started anew
      // (another epoch, §11), whose ids are given again; the logs' ids are of the old one
      if (this.session.cursor === undefined) this.conversations.forgetIds();
      // what the logs hold now is what the user saw before (a catch-up follows: §11)
      this.conversations.markSeen();
    });
    this.session.on('joined', ({ name, again, loggedIn }) => this.onJoined(name, again, loggedIn === true));
    this.session.on('refused', (r) => this.onRefused(r));
    this.session.on('users', (e) => {
      if (e.initial) return this.changed();
      for (const line of presenceNotices(e)) this.tell(ALL, `${line}.`);
      this.tellPeople(e.joined, e.left);
    });
    this.session.on('message', (m) => this.onMessage(m));
    this.session.on('caughtUp', ({ messages }) => this.caughtUp(messages));
    this.session.on('deleted', ({ id }) => {
      this.conversations.markDeleted(id);
      this.changed();
    });
    this.session.on('error', (e) => {
      // the session could not catch up: the server's history was reset (§11), its ids given again (a server without epochs)
      if (e.code === ErrorCode.HISTORY_INVALID) this.conversations.forgetIds();
      this.add(this.target, lineEntry('error', errorText(e.code, e.reason)));
    });
    this.session.on('target', () => this.changed());
    this.session.on('rooms', () => {
      this.showAgain();
      this.changed();
    });
    this.session.on('room', (e) => this.happened(e));
    this.session.on('statuses', () => this.changed());
    this.session.on('staff', () => this.changed());
    this.session.on('notice', ({ text }) => {
      this.notice = text;
      this.changed();
    });
    this.roomRequests = new RoomRequests(this.session, {
      me: () => this.me ?? '',
      shown: () => this.target,
      ask: (request, wording) => this.ask(request, wording),
      happened: (e) => this.happened(e),
      tell: (conversation, text) => this.tell(conversation, text),
      show: (name) => this.select(name),
      refuse: (text) => this.refuse(text),
      online: (name) => this.users.some((u) => nameKey(u) === nameKey(name)),
    });
    this.history = new HistoryPages(this.session, {
      log: (conversation) => this.log(conversation),
      entry: (m) => messageEntry(m, this.me),
      why: (err) => (err instanceof HcpError ? errorText(err.code, err.message) : sentence(String(err))),
      changed: () => this.changed(),
    });
  }

  start(): void {
    this.session.start();
  }

  get state(): SessionState {
    return this.session.state;
  }

  /** The name this page joined as (kept through reconnects). */
  get me(): string | undefined {
    return this.session.name;
  }

  /** Everyone online while the page is in the chat; nobody while it is not (the list would be stale). */
  get users(): readonly string[] {
    return this.state.kind === 'joined' && !this.left ? this.session.users : [];
  }

  /**
   * Whom the user talks to, and so the conversation shown: "All", a room, or a user, who stays the
   * target after leaving (see `targetGone`), as does a room the user is no longer in.
   */
  get target(): string {
    return this.session.target;
  }

  /** The user whispered to has left, or the user is out of the room: nothing goes there now. */
  get targetGone(): boolean {
    return this.state.kind === 'joined' && !this.session.targetPresent;
  }

  /** A conversation's log: its lines, where it ends in the history, its "New messages" divider. */
  log(name: string): ConversationLog {
    return this.conversations.log(name);
  }

  /** Messages in a conversation (the lobby, a room, a person's whispers) that came while another was shown. */
  unread(name: string): number {
    return this.conversations.unread(name);
  }

  /** The messages not read yet in the conversations the sidebar lists (for the drawer's button on a phone). */
  get unreadTotal(): number {
    return [ALL, ...this.rooms.map((r) => r.name), ...this.users].reduce((total, name) => total + this.unread(name), 0);
  }

  /** The rooms the user is in (docs/protocol.md §10.4), kept while reconnecting. */
  get rooms(): readonly RoomInfo[] {
    return this.left ? [] : this.session.rooms;
  }

  /** The room of that name the user is in. */
  room(name: string): RoomInfo | undefined {
    return findRoom(this.rooms, name);
  }

  setServerName(name: string): void {
    this.serverName = name;
    this.changed();
  }

  /** The server keeps accounts (it granted the capability on this connection). */
  get accountsOffered(): boolean {
    return this.session.accounts;
  }

  /** Whether `name` is away or busy, and why (docs/protocol.md §10.3): live, from the server. */
  statusOf(name: string): UserStatus {
    return this.session.statusOf(name);
  }

  /** The user's staff role (docs/protocol.md §10.6): an admin or a moderator has the Moderation panel. */
  get staffRole(): StaffRole | undefined {
    return this.left ? undefined : this.session.staffRole;
  }

  /** A moderation request (§10.6), its refusal in plain words. */
  moderate<T>(request: (client: ChatClient) => Promise<T>): Promise<Outcome<T>> {
    return this.ask(() => this.session.moderate(request));
  }

  /** Whether the name held is registered to this user (logged in, or kept with a password). */
  get registered(): boolean {
    return this.session.loggedIn;
  }

  /** Takes a name as a guest. */
  join(name: string): void {
    if (!this.nameChecked(name)) return;
    this.byAccount = false;
    this.loginError = '';
    this.session.join(name);
  }

  /** Takes a registered name with its password. */
  logIn(name: string, password: string): void {
    if (!this.nameChecked(name)) return;
    if (password === '') {
      this.loginError = 'Type the password too.';
      return this.changed();
    }
    this.byAccount = true;
    this.loginError = '';
    this.session.login(name, password);
  }

  /** Creates an account for `name` and joins with it (the way in on a server for members only). */
  signUp(name: string, password: string, again: string): void {
    if (!this.nameChecked(name)) return;
    const problem = newPasswordProblem(password, again);
    if (problem) {
      this.loginError = problem;
      return this.changed();
    }
    this.byAccount = true;
    this.loginError = '';
    this.session.signUp(name, password);
  }

  setNameForm(form: Partial<PageChat['nameForm']>): void {
    this.nameForm = { ...this.nameForm, ...form };
    if (form.mode) this.loginError = '';
    this.changed();
  }

  /** Registers the name the user holds as a guest ("Keep this name"). */
  async keepName(password: string): Promise<Outcome<void>> {
    const outcome = await this.ask(() => this.session.createAccount(password));
    if (outcome.ok) {
      this.byAccount = true;
      this.memory.account = this.me;
      this.addNotice(`The name ${this.me} is yours now: log in with it and your password from now on.`);
    }
    return outcome;
  }

  changePassword(password: string, newPassword: string): Promise<Outcome<void>> {
    return this.ask(() => this.session.changePassword(password, newPassword), WRONG_CURRENT_PASSWORD);
  }

  /** Deletes the account; the user stays in the chat as a guest. */
  async deleteAccount(password: string): Promise<Outcome<void>> {
    const outcome = await this.ask(() => this.session.deleteAccount(password), WRONG_CURRENT_PASSWORD);
    if (outcome.ok) {
      this.byAccount = false;
      this.memory.account = undefined;
      this.addNotice(`Your account is deleted: you are a guest now, and ${this.me} is free for anyone once you leave.`);
    }
    return outcome;
  }

  /** Changes the fields of the user's profile given; resolves with the whole profile. */
  saveProfile(profile: Profile): Promise<Outcome<Profile>> {
    return this.ask(() => this.session.setProfile(profile));
  }

  /** Looks someone up (the user too): online, registered, and a registered user's profile. */
  whois(name: string): Promise<Outcome<ExtensionFields>> {
    return this.ask(() => this.session.whois(name));
  }

  /** Blocks someone (docs/protocol.md §10.7): their messages stop reaching this user; resolves with the name as they write it. */
  block(name: string): Promise<Outcome<string>> {
    return this.ask(() => this.session.block(name));
  }

  unblock(name: string): Promise<Outcome<void>> {
    return this.ask(() => this.session.unblock(name));
  }

  /** Whom this user blocks. */
  blocks(): Promise<Outcome<BlockEntry[]>> {
    return this.ask(() => this.session.blocks());
  }

  /**
   * Handles one line typed in the composer: a slash command, or text for the current target.
   * Returns (for a room's command, once the server answered) whether the line was taken (the
   * composer then empties); a refused line stays, so nothing typed is lost.
   */
  submit(line: string): boolean | Promise<boolean> {
    this.sendError = '';
    const context = { target: this.target, users: this.users, lastWhisperer: this.session.lastWhisperer };
    // no account commands: the page has Settings for that
    const cmd = parseCommand(line, context, {
      rooms: true, ...(this.historyOffered && { history: true as const }), ...(this.session.moderationEnabled && { moderation: true as const }),
    }) as Command | RoomCommand | HistoryCommand | ModerationCommand;
    if (isRoomCommand(cmd)) return this.roomRequests.run(cmd);
    if (isModerationCommand(cmd)) return this.moderationCommand(cmd);
    if (isHistoryCommand(cmd)) return this.historyCommand(cmd);
    switch (cmd.kind) {
      case 'invalid':
        return this.refuse(sentence(cmd.reason));
      case 'help':
        for (const c of [
          ...COMMANDS, ...(this.roomsOffered ? ROOM_COMMANDS : []), ...(this.historyOffered ? HISTORY_COMMANDS : []), ...(this.staffRole ? MODERATION_COMMANDS : []),
        ]) {
          this.addNotice(`${c.usage} — ${c.meaning}`);
        }
        return true;
      case 'who':
        this.addNotice(`Online (${this.users.length}): ${this.users.join(', ')}.`);
        return true;
      case 'reconnect':
        if (!this.removed) return this.refuse('You are not put out: the page reconnects by itself after a drop.');
        this.rejoin();
        return true;
      case 'quit':
        this.left = true;
        this.session.close();
        this.forgetTab();
        this.addNotice('You left. Reload the page to join again.');
        return true;
      case 'name':
        return this.refuse(`You are ${this.me ?? 'not named yet'}: a name cannot change while you are connected.`);
      case 'target':
        return this.attempt(() => this.setTarget(cmd.to));
      case 'say':
        return this.attempt(() => this.session.send(cmd.text, cmd.to), cmd.to);
    }
  }

  /** Shows a conversation (the lobby, a room, a person), and talks there from now on. */
  select(name: string): void {
    this.attempt(() => this.setTarget(name));
  }

  /**
   * Shows a message in its conversation (a search hit: `conversation` is the lobby, a room, or the
   * other party of whispers, who may have left): at once when its log has it, else the log is
   * opened around it (docs/protocol.md §11); either way it is picked out for a moment.
   */
  async showMessage(conversation: string, id: number): Promise<void> {
    if (!this.attempt(() => this.setTarget(conversation, { absent: true }))) return;
    this.highlight = { conversation, id, n: ++this.highlights };
    this.changed();
    if (!this.log(conversation).has(id)) await this.history.showAround(conversation, id);
  }

  /** Messages holding every word of `query`, newest first: everywhere the user may read, or in one conversation. */
  search(query: string, options: Parameters<ChatSession['search']>[1] = {}): Promise<Outcome<SearchHit[]>> {
    return this.ask(() => this.session.search(query, options));
  }

  /** Deletes a message the user sent, for everyone (DELETED tells everyone who has it, the user included: §11). */
  deleteMessage(id: number): Promise<Outcome<void>> {
    return this.ask(() => this.session.deleteMessage(id));
  }

  /** Deletes anyone's message (staff: MOD_DELETE, §10.6), told as the sender's own deletion is. */
  deleteAnyMessage(id: number): Promise<Outcome<void>> {
    return this.moderate((c) => c.deleteAny(id));
  }

  /** Kicked or banned (§10.6): why, in plain words; the page then stays out until the user joins again. */
  get removed(): string | undefined {
    const s = this.state;
    return s.kind === 'removed' ? errorText(s.code, s.reason) : undefined;
  }

  /** "Join again" after a kick or a ban: the name asked for anew; a ban refuses it, saying why. */
  rejoin(): void {
    this.session.rejoin();
  }

  /** Reports someone's message to the moderators, with an optional reason (REPORT, §10.6). */
  reportMessage(id: number, reason: string): Promise<Outcome<number>> {
    return this.ask(() => this.session.report(id, reason || undefined));
  }

  /** The tab came into view or went out of it: what comes while it is out of view is new to the user. */
  setTabVisible(visible: boolean): void {
    this.tabVisible = visible;
    if (visible) this.log(this.target).read();
    this.changed();
  }

  /** Clears a conversation's unread badge without showing it. */
  markRead(name: string): void {
    this.conversations.markRead(name);
    this.changed();
  }

  /** `/kick NAME reason` and the others (§10.6): what was done is told in the log, a refusal under the text box (the line stays). */
  private async moderationCommand(cmd: ModerationCommand): Promise<boolean> {
    const outcome = await this.ask(() => moderationResult(cmd, this.session));
    if (!outcome.ok) return this.refuse(outcome.error);
    for (const line of outcome.value.split('\n')) this.addNotice(line);
    return true;
  }

  /**
   * `/search WORDS` opens the search with its hits; `/delete` asks to delete the user's last message
   * in the conversation shown, staff's `/mdelete NAME` that user's, `/report [NAME] [reason]` to
   * report someone's (§10.6).
   */
  private historyCommand(cmd: HistoryCommand): boolean {
    if (cmd.kind === 'search') {
      this.emit('dialog', { kind: 'search', query: cmd.query });
      return true;
    }
    const messages = this.log(this.target).entries.filter((e): e is MessageEntry => e.kind === 'message' && e.msgId !== undefined && !e.deleted);
    if (cmd.kind === 'report') {
      const id = reportedMessageId(messages.map((e) => ({ id: e.msgId!, from: e.from, own: e.own })), cmd.who);
      const entry = messages.find((e) => e.msgId === id);
      if (!entry) return this.refuse(`There is no message ${cmd.who ? `of ${cmd.who}` : 'of someone else'} here to report.`);
      this.emit('dialog', { kind: 'report-message', entry, ...(cmd.reason && { reason: cmd.reason }) });
      return true;
    }
    const from = cmd.from;
    const last = messages.filter((e) => (from === undefined ? e.own : nameKey(e.from) === nameKey(from))).at(-1);
    if (!last) return this.refuse(from === undefined ? 'You have no message here to delete.' : `${from} has no message here to delete.`);
    this.emit('dialog', { kind: 'delete-message', entry: last });
    return true;
  }

  private nameChecked(name: string): boolean {
    if (name !== '') return true;
    this.loginError = 'Type a name: it cannot be only spaces.';
    this.changed();
    return false;
  }

  private onJoined(name: string, again: boolean, loggedIn: boolean): void {
    const resumed = this.resuming !== undefined;
    this.loginError = '';
    this.resuming = undefined;
    this.roomsOffered = this.session.roomsEnabled;
    this.historyOffered = this.session.historyEnabled;
    this.memory.account = loggedIn ? name : undefined;
    this.tell(ALL, resumed ? `You are back as ${name}.` : joinedText(name, again, loggedIn ? 'login' : 'guest', this.accountsOffered));
    if (again) return;
    this.shownBefore = this.memory.shown;
    this.showAgain();
  }

  /** After a reload: the conversation shown before, once it is there (a room, once the rooms are known). */
  private showAgain(): void {
    const name = this.shownBefore;
    if (name === undefined || (isRoomName(name) && !this.room(name))) return;
    this.shownBefore = undefined;
    this.attempt(() => this.setTarget(name, { absent: true }));
  }

  /** The user left the chat: a reload asks for a name again, as for a new visitor. */
  private forgetTab(): void {
    new LastingState(tabStorage()).guest = undefined;
    this.memory.shown = undefined;
  }

  private onRefused(r: { name: string; code?: number; reason?: string }): void {
    this.resuming = undefined;
    const withPassword = this.byAccount;
    this.byAccount = false; // the session forgot the refused password too
    this.loginError = r.code === undefined && !r.reason ? 'That name is taken or not allowed; pick another.'
      : r.code === ErrorCode.NAME_TAKEN && withPassword ? 'You are online with that name elsewhere (another tab or device): leave there, then log in here.'
        : errorText(r.code, r.reason);
    // a registered name (or a server for members only): offer the log-in form, the name filled in
    if (withPassword || r.code === ErrorCode.NAME_REGISTERED || r.code === ErrorCode.LOGIN_REQUIRED) this.nameForm = { mode: 'login', name: r.name };
    this.changed();
  }

  /**
   * Runs an account request of the session. Its refusal is told in plain words, and so is a
   * connection that is not there or drops before the answer (the session says so).
   */
  private async ask<T>(request: () => Promise<T>, wording: Partial<Record<number, string>> = {}): Promise<Outcome<T>> {
    let outcome: Outcome<T>;
    try {
      outcome = { ok: true, value: await request() };
    } catch (err) {
      outcome = { ok: false, error: err instanceof HcpError ? (wording[err.code] ?? errorText(err.code, err.message)) : sentence(String(err)) };
    }
    this.changed();
    return outcome;
  }

  private setTarget(name: string, options?: { absent: boolean }): void {
    const before = this.target;
    this.session.setTarget(name, options);
    this.shownBefore = undefined;
    this.memory.shown = this.target;
    if (nameKey(before) !== nameKey(this.target)) {
      this.log(before).leave();
      this.highlight = undefined;
    }
    this.log(this.target).read();
    this.conversations.markRead(this.target);
  }

  /** Runs what the session may refuse; a refusal is told under the text box in plain words. */
  private attempt(action: () => unknown, to?: string): boolean {
    try {
      action();
    } catch (err) {
      return this.refuse(this.refusalText(err, to));
    }
    this.changed();
    return true;
  }

  /** A target who left is named as they spell themselves (a sentence would capitalize "frank"). */
  private refusalText(err: unknown, to: string | undefined): string {
    if (!(err instanceof HcpError)) return String(err);
    if (err.code === ErrorCode.UNKNOWN_RECEIVER && to !== undefined && nameKey(to) === nameKey(this.target)) {
      return `${this.target} left, so your message was not sent: pick someone else, or type /all to talk to everyone.`;
    }
    return errorText(err.code, err.message);
  }

  /**
   * A message goes to its conversation: the lobby's, a room's (its receiver begins with #: §10.4),
   * or the whispers with the other person. One the user sent from another conversation (`/w bob
   * hi` in the lobby) shows there too; one from someone else counts as unread until its
   * conversation is shown, and is new (the divider) when it comes while the user reads elsewhere.
   */
  private onMessage(m: ClientMessage): void {
    const entry = messageEntry(m, this.me);
    // what Server tells the user alone (a warning, a report to staff: §10.6) has no conversation the sidebar lists: it shows where the user is
    const conversation = m.from === SERVER && isWhisper(m.to) ? this.target : conversationOf(m);
    const shown = nameKey(conversation) === nameKey(this.target);
    const fresh = this.add(conversation, entry); // not in a page of history already
    if (m.own && isWhisper(m.to) && !shown) this.add(this.target, entry);
    if (m.own || !fresh) return;
    if (!shown) this.conversations.countUnread(conversation);
    if (!this.reading(conversation)) this.log(conversation).cameWhileAway(entry);
    this.emit('incoming', entry);
  }

  /**
   * After a catch-up (§11), what others said while the user was away is new, in the conversation
   * shown too: what came after the last message its log had when the connection was lost.
   */
  private caughtUp(messages: readonly StampedMessage[]): void {
    for (const m of messages.filter((m) => !m.own)) {
      const log = this.log(conversationOf(m));
      if (m.id > (log.seenUpTo ?? 0)) log.cameWhileAway(messageEntry(m, this.me));
    }
    if (this.tabVisible) this.log(this.target).read();
    this.changed();
  }

  /** Whether the user reads the conversation now: it is shown, in a tab in view. */
  private reading(conversation: string): boolean {
    return this.tabVisible && nameKey(conversation) === nameKey(this.target);
  }

  /** Tells in the conversations with them (if any) that people came or went. */
  private tellPeople(joined: readonly string[], left: readonly string[]): void {
    const talkedWith = (name: string) => this.conversations.has(name) || nameKey(name) === nameKey(this.target);
    for (const name of joined.filter(talkedWith)) this.tell(name, `${name} joined.`);
    for (const name of left.filter(talkedWith)) this.tell(name, `${name} left.`);
  }

  /**
   * A room's event, or the user's own change worded as one, told in the room's log; one that
   * takes the user into or out of a room is told in the lobby too, unless the room is shown.
   */
  private happened(e: RoomEvent): void {
    const text = roomEventText(e, this.me ?? '');
    this.tell(e.room, text);
    if (changesMembership(e, this.me ?? '') && nameKey(e.room) !== nameKey(this.target)) this.tell(ALL, `${e.room}: ${text}`);
    this.emit('room', e);
  }

  private refuse(why: string): false {
    this.sendError = why;
    this.changed();
    return false;
  }

  /** A quiet line in the conversation shown. */
  private addNotice(text: string): void {
    this.tell(this.target, text);
  }

  private tell(conversation: string, text: string): void {
    this.add(conversation, lineEntry('notice', text));
  }

  /** Adds a line to a conversation's log; whether it was new there. */
  private add(conversation: string, entry: Entry): boolean {
    const fresh = this.log(conversation).add(entry);
    this.changed();
    return fresh;
  }

  private changed(): void {
    this.emit('change', undefined);
  }
}

/** A message's conversation: the lobby, its room, or the other party of whispers (§11's CONVERSATION). */
function conversationOf(m: ClientMessage): string {
  return isWhisper(m.to) && !m.own ? m.from : m.to;
}

/** The notice of joining: how, and whether after a reconnect (then logged in again, if logged in). */
function joinedText(name: string, again: boolean, how: NameMode, accounts: boolean): string {
  if (again) return how === 'guest' ? `Reconnected as ${name}.` : `Reconnected, and logged in again as ${name}.`;
  const joined = how === 'guest' ? `You joined as ${name} (a guest)` : `You logged in as ${name}`;
  const keep = how === 'guest' && accounts ? ' To keep this name, choose a password in Settings (⚙).' : '';
  return `${joined}. Type /help for commands.${keep}`;
}
