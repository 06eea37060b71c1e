import chalk from 'chalk';
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useEffect, useReducer, useRef, useState } from 'react';
import stringWidth from 'string-width';
import {
  isAccountCommand, isHistoryCommand, isModerationCommand, isRoomCommand, nameCompletions, parseCommand, type AccountCommand, type HistoryCommand, type RoomCommand,
} from '../client/commands.js';
import type { ClientMessage } from '../client/history.js';
import { moderationText } from '../client/moderation.js';
import { presenceNotices } from '../client/notices.js';
import { applyMemberEvent, sameName, type RoomEvent, type RoomMember } from '../client/rooms.js';
import type { ChatSession, SessionState } from '../client/session.js';
import { HcpError, nameKey } from '../protocol/index.js';
import { joinedText, refusalText, runAccountCommand } from './account-commands.js';
import { runHistoryCommand } from './history-commands.js';
import { inputWindow } from './input-view.js';
import { LineEditor } from './line-editor.js';
import { HELP_WITH_MODERATION, logView, rowsOf, type EntryKind, type LogEntry } from './log-rows.js';
import { clockOf, conversationOf, messageEntry } from './message-line.js';
import { PasteCollector } from './paste.js';
import { runModerationCommand } from './moderation-commands.js';
import { Prompt, type Question } from './prompt.js';
import { roomEventText, runRoomCommand } from './room-commands.js';
import { caughtUpLines, divider, loadOlder } from './scrollback.js';
import { sideList } from './side-list.js';
import { Windows, type ChatWindow } from './windows.js';

const USERS_WIDTH = 24;
/** Columns of the header the status keeps ("Howdy alice @ …") before the windows' names give way to their numbers. */
const STATUS_MIN_WIDTH = 24;
/** A paste of more lines than this is sent only once the user confirms it. */
const PASTE_CONFIRM_LINES = 3;
/** Box-drawing characters need a capable terminal; a dumb one gets plain ASCII. */
const BORDER = process.env.TERM === 'dumb' ? 'classic' : 'single';

export interface AppProps {
  session: ChatSession;
  /** Log in to this account once connected, asking for its password first (`--name NAME --login`). */
  loginAs?: string | undefined;
}

/**
 * The terminal client: windows (the lobby, each room, each whisper conversation: docs/protocol.md
 * §10.4) with scroll-back (and, when the server keeps history, older messages: §11), who is online
 * or the room's members, input line.
 */
export function App({ session, loginAs }: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [size, setSize] = useState({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const windows = useRef(new Windows()).current;
  /** The members of the rooms shown, by the room's name key: asked for when a room's window is shown, kept from events. */
  const members = useRef(new Map<string, RoomMember[]>()).current;
  const [users, setUsers] = useState<string[]>([]);
  const [state, setState] = useState<SessionState>(session.state);
  /** The server's message of the day (docs/protocol.md §10.5), shown at the top of the lobby. */
  const [notice, setNotice] = useState<string | undefined>();
  /** Rows of the log below the window: 0 follows the newest message. */
  const [rowsBelow, setRowsBelow] = useState(0);
  /** A long paste waiting for Enter (send) or Esc (cancel). */
  const [pendingPaste, setPendingPaste] = useState<string | undefined>();
  const editor = useRef(new LineEditor()).current;
  const paste = useRef(new PasteCollector()).current;
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const history = useRef<{ entries: string[]; at: number }>({ entries: [], at: 0 });
  const completion = useRef<{ base: string; candidates: string[]; index: number; result: string } | undefined>(undefined);
  /** Questions asked in the input line (passwords): keys go there, not to the chat line. */
  const prompt = useRef<Prompt | undefined>(undefined);

  const usersWidth = Math.min(USERS_WIDTH, Math.floor(size.columns / 3));
  // the log box: its borders and one column of padding on each side
  const logWidth = Math.max(1, size.columns - usersWidth - 4);
  const logHeight = Math.max(3, size.rows - 4);

  // The handlers may run again before React re-renders: they read the latest values from here.
  const live = useRef({ logWidth, rowsBelow, pendingPaste, viewHeight: logHeight });

  /** Adds a line to a window (the one shown by default). */
  const add = (kind: EntryKind, text: string, from?: string, window: ChatWindow = windows.active) =>
    addEntry({ time: clockOf(), kind, text, from }, window);

  const addEntry = (entry: LogEntry, window: ChatWindow) => {
    windows.add(window, entry);
    // scrolled back, the window stays on what it shows
    if (window === windows.active && live.current.rowsBelow > 0) setRowsBelow((r) => r + rowsOf(entry, live.current.logWidth).length);
    redraw();
  };

  /** Shows a window: plain text goes to its conversation; a room's members are asked for (§10.4). */
  const show = (index: number) => {
    if (!windows.show(index)) return;
    setRowsBelow(0);
    const window = windows.active;
    session.setTarget(window.conversation, { absent: true });
    if (window.kind === 'room') void learnMembers(window.conversation);
    redraw();
  };
  const showConversation = (conversation: string) => show(windows.list.indexOf(windows.open(conversation)));

  const learnMembers = async (room: string) => {
    if (!session.present(room)) return;
    try {
      members.set(nameKey(room), await session.roomMembers(room));
      redraw();
    } catch {
      // a room gone meanwhile: its events tell
    }
  };

  /** A room's event in its window, told where the user is too when it takes them out of the room or brings them in. */
  const showRoomEvent = (e: RoomEvent) => {
    const window = windows.open(e.room);
    const known = members.get(nameKey(e.room));
    if (known) members.set(nameKey(e.room), applyMemberEvent(known, e));
    const me = session.name ?? '';
    const { text, alarm } = roomEventText(e, me);
    add(alarm ? 'error' : 'notice', text, undefined, window);
    const mine = (e.name !== undefined && sameName(e.name, me) && (e.event === 'join' || e.event === 'part')) || e.event === 'delete';
    if (mine && window !== windows.active) add(alarm ? 'error' : 'notice', `${text} (window ${windows.list.indexOf(window) + 1})`);
  };

  useEffect(() => {
    const onResize = () => setSize({ columns: stdout.columns, rows: stdout.rows });
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout]);

  useEffect(() => {
    let previous = session.state;
    const offs = [
      session.on('connected', (e) => {
        add('notice', `Connected to ${e.address} (${e.wire === 'framed' ? 'HCP/2' : 'classic HCP/1: the server did not answer the HCP/2 preface'}).`);
        if (loginAs !== undefined && !session.name) {
          runAccount({ kind: 'login', name: loginAs });
          loginAs = undefined; // once: after a reconnect, the session logs in again by itself
        } else if (e.joining === undefined) add('notice', 'Type the name you want and press Enter (or /login NAME).');
      }),
      session.on('state', (s) => {
        const quiet = previous.kind === 'disconnected' || previous.kind === 'connecting';
        if (s.kind === 'disconnected' && !quiet) add('error', `Connection lost: ${s.reason}. Reconnecting…`);
        if (s.kind === 'naming' && s.waitingFor) add('notice', `Waiting for the server to let go of "${s.waitingFor}"…`);
        // the reason itself came as the session's error, just before
        if (s.kind === 'removed') add('notice', 'You are disconnected and will stay so: /reconnect joins again, /quit leaves.');
        previous = s;
        setState(s);
      }),
      session.on('joined', (e) => add('notice', joinedText(e))),
      session.on('refused', (e) => add('error', refusalText(e))),
      session.on('users', (e) => {
        setUsers(e.users);
        if (e.initial) return;
        for (const line of presenceNotices(e)) add('notice', line, undefined, windows.lobby);
        // the whisper windows of those who came or went say so
        for (const name of e.left) {
          const window = windows.find(name);
          if (window?.kind === 'whisper') add('error', `${name} left: whispers to them are refused until they come back.`, undefined, window);
        }
        for (const name of e.joined) {
          const window = windows.find(name);
          if (window?.kind === 'whisper') add('notice', `${name} is back.`, undefined, window);
        }
      }),
      session.on('message', (m) => showMessage(m)),
      session.on('deleted', (e) => windows.markDeleted(e.id) && redraw()),
      session.on('caughtUp', (e) => {
        for (const line of caughtUpLines(e.messages, (m) => windows.open(conversationOf(m)), windows.active)) addEntry(divider(line.text), line.window);
      }),
      session.on('error', (e) => add('error', moderationText(e.code, e.reason) ?? e.reason)),
      session.on('target', () => redraw()),
      session.on('rooms', (rooms) => {
        // a window for each room the user is in: joined elsewhere, added by someone, back after a reconnect
        for (const room of rooms) windows.open(room.name);
        if (windows.active.kind === 'room') void learnMembers(windows.active.conversation);
        redraw();
      }),
      session.on('room', (e) => showRoomEvent(e)),
      session.on('statuses', () => redraw()),
      session.on('notice', (e) => setNotice(e.text)),
    ];
    session.start(); // once listening, so that nothing it says is missed
    return () => offs.forEach((off) => off());
  }, [session]);

  /** A message in its conversation's window; a whisper shows where the user is too, as irssi shows /msg. */
  const showMessage = (m: ClientMessage) => {
    const window = windows.open(conversationOf(m));
    const entry = messageEntry(m, session.name ?? 'You');
    addEntry(entry, window);
    if (window.kind === 'whisper' && window !== windows.active) addEntry(entry, windows.active);
  };

  /** PgUp at the top of a window's log: its conversation's older messages (§11), the page just above what was the top shown. */
  const loadOlderPage = async () => {
    const window = windows.active;
    if (!session.historyEnabled || window.past !== 'more') return;
    redraw(); // "loading older messages…"
    const top = window.entries[0];
    try {
      const added = await loadOlder(session, windows, window);
      if (added === 0 || window !== windows.active) return;
      const { logWidth: width, viewHeight: height } = live.current;
      const rows = (entries: readonly LogEntry[]) => entries.reduce((n, e) => n + rowsOf(e, width).length, 0);
      // the old top row stays in view, at the bottom, under the rows loaded
      const fromTop = top === undefined ? 0 : rows(window.entries.slice(window.entries.indexOf(top)));
      setRowsBelow(Math.min(Math.max(0, rows(window.entries) - height), Math.max(0, fromTop - 1)));
    } catch (err) {
      add('error', `No older messages: ${err instanceof HcpError ? err.message : String(err)}.`, undefined, window);
    } finally {
      redraw(); // the hint says it is no longer loading
    }
  };

  const name = state.kind === 'joined' ? state.name : session.name;

  useInput((chars, key) => {
    const pasted = paste.feed(chars, key);
    const asking = prompt.current;
    if (pasted.consumed) {
      if (pasted.pasted !== undefined) asking ? asking.type(pasted.pasted) : onPaste(pasted.pasted);
    } else if (asking) {
      asking.key(chars, key);
    } else if (live.current.pendingPaste !== undefined) {
      if (key.return) sendText(live.current.pendingPaste);
      if (key.return || key.escape) setPendingPaste(undefined);
    } else {
      editKey(chars, key);
    }
    redraw();
  });

  const editKey = (chars: string, key: Parameters<Parameters<typeof useInput>[0]>[1]) => {
    const h = history.current;
    if (key.return) {
      submit(editor.take());
    } else if (key.upArrow && h.at > 0) {
      h.at--;
      editor.set(h.entries[h.at]!);
    } else if (key.downArrow && h.at < h.entries.length) {
      h.at++;
      editor.set(h.entries[h.at] ?? '');
    } else if (key.leftArrow) {
      editor.left();
    } else if (key.rightArrow) {
      editor.right();
    } else if (key.backspace || key.delete) {
      editor.backspace(); // most terminals send DEL (0x7f) for Backspace
    } else if (key.ctrl && chars === 'a') {
      editor.home();
    } else if (key.ctrl && chars === 'e') {
      editor.end();
    } else if (key.ctrl && chars === 'u') {
      editor.set('');
    } else if (key.ctrl && chars === 'w') {
      editor.deleteWord();
    } else if (key.ctrl && (chars === 'n' || chars === 'p')) {
      // the next or previous window
      const at = windows.list.indexOf(windows.active);
      show((at + (chars === 'n' ? 1 : windows.list.length - 1)) % windows.list.length);
    } else if (key.meta && /^[0-9]$/.test(chars)) {
      show((Number(chars) + 9) % 10); // Alt-1 … Alt-9 show window 1 … 9, Alt-0 window 10
    } else if (key.pageUp) {
      const top = Math.max(0, view.total - viewHeight);
      if (view.rowsBelow >= top) void loadOlderPage();
      else setRowsBelow((r) => Math.min(top, r + viewHeight - 1));
    } else if (key.pageDown) {
      setRowsBelow((r) => Math.max(0, Math.min(r, view.rowsBelow) - (viewHeight - 1)));
    } else if (key.tab) {
      complete();
    } else if (chars && !key.ctrl && !key.meta && !key.escape) {
      // keys typed faster than they are read arrive together, and without bracketed paste a paste
      // arrives as typing: a line break in them is an Enter, a tab is a Tab
      for (const part of chars.split(/(\r\n?|\n|\t)/)) {
        if (part === '\t') complete();
        else if (/^[\r\n]/.test(part)) submit(editor.take());
        else editor.insert(part);
      }
    }
  };

  /** Tab: completes the name being typed; again, the next candidate. */
  const complete = () => {
    let c = completion.current;
    if (c && c.result === editor.text) c.index = (c.index + 1) % c.candidates.length;
    else {
      const found = nameCompletions(editor.text, [...session.users, ...session.rooms.map((r) => r.name)]);
      c = found.candidates.length ? { ...found, index: 0, result: '' } : undefined;
    }
    completion.current = c;
    if (c) {
      c.result = c.base + c.candidates[c.index]! + (c.base === '' ? ': ' : ' ');
      editor.set(c.result);
    }
  };

  /** A paste of one line is typed in; more lines make one message (confirmed when long). */
  const onPaste = (text: string) => {
    if (!text.includes('\n')) return editor.insert(text);
    const message = editor.take() + text;
    if (message.split('\n').length > PASTE_CONFIRM_LINES) setPendingPaste(message);
    else sendText(message);
  };

  const sendText = (text: string, to = windows.active.conversation, retype?: string) => {
    setRowsBelow(0);
    try {
      const parts = session.send(text, to);
      if (parts > 1) add('notice', `Too long for one message: sending it as ${parts}.`);
    } catch (err) {
      add('error', err instanceof HcpError ? err.message : String(err));
      if (retype !== undefined) editor.set(retype); // nothing was sent: the line is not lost
    }
  };

  /** Asks questions in the input line; one prompt at a time (a new one cancels the one open). */
  const ask = (questions: Question[]) =>
    new Promise<string[] | undefined>((resolve) => {
      prompt.current?.cancel();
      const asking = new Prompt(questions, (answers) => {
        if (prompt.current === asking) prompt.current = undefined;
        redraw();
        resolve(answers);
      });
      prompt.current = asking;
      redraw();
    });

  const runAccount = (cmd: AccountCommand) =>
    void runAccountCommand(cmd, { session, ask, notice: (text) => add('notice', text), error: (text) => add('error', text) });

  const runHistory = (cmd: HistoryCommand) =>
    void runHistoryCommand(cmd, { session, windows, notice: (text) => add('notice', text), error: (text) => add('error', text) });

  const runRoom = (cmd: RoomCommand) =>
    void runRoomCommand(cmd, {
      session,
      notice: (text) => add('notice', text),
      error: (text) => add('error', text),
      tell: (room, text) => add('notice', text, undefined, windows.open(room)),
      showRoom: showConversation,
      closeRoom: (room) => {
        const closed = windows.close(room);
        members.delete(nameKey(room));
        show(windows.list.indexOf(windows.active));
        return closed;
      },
    });

  const submit = (line: string) => {
    setRowsBelow(0);
    if (line.trim() === '') return;
    const h = history.current;
    h.entries = [...h.entries, line].slice(-200);
    h.at = h.entries.length;
    const context = { target: windows.active.conversation, users: session.users, lastWhisperer: session.lastWhisperer };
    const cmd = parseCommand(line, context, { accounts: true, rooms: true, history: true, moderation: true });
    if (isAccountCommand(cmd)) return runAccount(cmd);
    if (isModerationCommand(cmd)) return void runModerationCommand(cmd, { session, notice: (text) => add('notice', text), error: (text) => add('error', text) });
    if (isRoomCommand(cmd)) return runRoom(cmd);
    if (isHistoryCommand(cmd)) return runHistory(cmd);
    if (cmd.kind === 'quit') {
      session.close();
      exit();
      return;
    }
    if (cmd.kind === 'reconnect') {
      if (session.state.kind !== 'removed') return add('error', 'You are not put out: the client reconnects by itself after a drop.');
      return session.rejoin();
    }
    if (cmd.kind === 'help') return add('help', session.staffRole === undefined ? '' : HELP_WITH_MODERATION);
    if (cmd.kind === 'invalid') return add('error', cmd.reason);
    if (!session.name) {
      const wanted = cmd.kind === 'name' ? cmd.name : line.trim();
      if (session.state.kind !== 'naming') add('notice', `You will join as ${wanted} once connected.`);
      return session.join(wanted);
    }
    switch (cmd.kind) {
      case 'name':
        return add('error', `You are ${session.name}; names cannot be changed once joined.`);
      case 'who':
        return add('notice', `Online (${session.users.length}): ${session.users.join(', ')}`);
      case 'target':
        // the conversation's window (a whisper's opens), shown
        if (!session.present(cmd.to) && !windows.find(cmd.to)) {
          return add('error', cmd.to.startsWith('#') ? `You are not in ${cmd.to}: /join ${cmd.to} first.` : `Nobody called "${cmd.to}" is online.`);
        }
        return showConversation(windows.find(cmd.to)?.conversation ?? session.users.find((u) => sameName(u, cmd.to)) ?? cmd.to);
      case 'say':
        return sendText(cmd.text, cmd.to, line);
    }
  };

  const active = windows.active;
  const present = session.present(active.conversation);
  // a room's window has its header: the room and its topic
  const room = active.kind === 'room' ? session.rooms.find((r) => sameName(r.name, active.conversation)) : undefined;
  const header = active.kind !== 'room' ? undefined
    : !room ? `${active.conversation} (you are not in it)` : room.topic ? `${room.name}: ${room.topic}` : `${room.name} (no topic)`;
  // the lobby's: the message of the day, its first lines (at most a third of the log)
  const noticeRows = active.kind === 'lobby' && notice !== undefined ? notice.split('\n').slice(0, Math.max(1, Math.floor(logHeight / 3))) : [];
  // the rows of the log shown: all but the header's
  const viewHeight = logHeight - noticeRows.length - (header === undefined ? 0 : 1);
  const view = logView(active.entries, logWidth, viewHeight, rowsBelow);
  live.current = { logWidth, rowsBelow, pendingPaste, viewHeight };
  const side = sideList(active, users, members.get(nameKey(active.conversation)), name, logHeight, (user) => session.statusOf(user));
  const status = statusText(state, session.address);
  const hint = active.past === 'loading' ? 'loading older messages… '
    : view.rowsBelow > 0 ? `↑ ${view.rowsBelow} more rows below, PgDn ` : windows.list.length === 1 ? '/help ' : '';
  const fullBar = windows.labels();
  const bar = windows.list.length === 1 ? []
    : stringWidth(hint + fullBar.map((l) => `${l.text} `).join('')) <= size.columns - STATUS_MIN_WIDTH ? fullBar : windows.labels(true);
  const asking = prompt.current;
  const promptText = asking ? asking.question.label : pendingPaste !== undefined
    ? `Send ${pendingPaste.split('\n').length} lines to ${active.kind === 'lobby' ? 'everyone' : active.conversation}? Enter sends, Esc cancels `
    : !name ? 'name> ' : promptOf(active, present);
  const inputWidth = Math.max(1, size.columns - stringWidth(promptText) - 1);
  const input = asking ? inputWindow(asking.shown, asking.shown.length, inputWidth)
    : pendingPaste === undefined ? inputWindow(editor.text, editor.cursor, inputWidth)
    : { before: '', at: ' ', after: '' };
  return (
    <Box flexDirection="column" height={size.rows} width={size.columns}>
      <Box justifyContent="space-between">
        <Box flexShrink={1}>
          <Text wrap="truncate-end">
            <Text bold color="yellow">Howdy </Text>
            <Text color={state.kind === 'joined' ? 'green' : state.kind === 'disconnected' || state.kind === 'removed' ? 'red' : 'yellow'}>{status}</Text>
            <Text dimColor>{session.wire === 'classic' ? ' (classic)' : ''}</Text>
          </Text>
        </Box>
        {/* the hint and the windows stay whole: the status gives way */}
        <Box flexShrink={0}>
          <Text wrap="truncate-start">
            <Text dimColor>{hint}</Text>
            {bar.map((l, i) => (
              <Text key={i} bold={l.active} color={l.unread ? 'yellow' : l.active ? 'cyan' : undefined} dimColor={!l.active && !l.unread}>
                {`${l.text} `}
              </Text>
            ))}
          </Text>
        </Box>
      </Box>
      <Box height={logHeight + 2}>
        <Box flexDirection="column" width={logWidth + 4} justifyContent="flex-end" borderStyle={BORDER} paddingX={1}>
          {header !== undefined && (
            <Text bold color="cyan" wrap="truncate-end">
              {header}
            </Text>
          )}
          {noticeRows.map((row, i) => (
            <Text key={`notice${i}`} color="yellow" wrap="truncate-end">
              {i === 0 ? '§ ' : '  '}
              {row || ' '}
            </Text>
          ))}
          {(header !== undefined || noticeRows.length > 0) && view.rows.length < viewHeight && <Box flexGrow={1} />}
          {view.rows.map((row, i) => (
            <Text key={i} wrap="truncate-end">{row || ' '}</Text>
          ))}
        </Box>
        <Box flexDirection="column" width={usersWidth} borderStyle={BORDER} paddingX={1} overflow="hidden">
          <Text bold wrap="truncate-end">{side.title}</Text>
          {side.rows.map((row) => (
            <Text key={row.name} wrap="truncate-end" color={row.selected ? 'magenta' : undefined} bold={row.you} dimColor={row.offline || row.status === 'away'}>
              {row.mark}
              {row.name}
              {row.you ? ' (you)' : ''}
              {row.status && <Text color={row.status === 'busy' ? 'red' : undefined}>{` (${row.status})`}</Text>}
            </Text>
          ))}
          {side.more > 0 && <Text dimColor wrap="truncate-end">  … and {side.more} more</Text>}
        </Box>
      </Box>
      <Box>
        <Text color={pendingPaste === undefined && !asking ? 'cyan' : 'yellow'} wrap="truncate-end">{promptText}</Text>
        <Text>
          {input.before}
          {/* without colours (NO_COLOR) there is no inverse either: the cursor at the end shows as _ */}
          {chalk.level > 0 ? <Text inverse>{input.at}</Text> : input.at === ' ' ? '_' : input.at}
          {input.after}
        </Text>
      </Box>
    </Box>
  );
}

/** What the input line starts with: whom it talks to, and whether they can hear now. */
function promptOf(window: ChatWindow, present: boolean): string {
  if (window.kind === 'lobby') return '[All]> ';
  if (window.kind === 'room') return `[${window.conversation}${present ? '' : ' (not in it)'}]> `;
  return `[→ ${window.conversation}${present ? '' : ' (left)'}]> `;
}

function statusText(state: SessionState, address: string | undefined): string {
  switch (state.kind) {
    case 'connecting':
      return 'connecting…';
    case 'naming':
      return `naming @ ${address}`;
    case 'joined':
      return `${state.name} @ ${address}`;
    case 'disconnected':
      return `disconnected: reconnecting in ${Math.ceil(state.retryInMs / 1000)} s`;
    case 'removed':
      return 'disconnected: /reconnect to join again';
  }
}
