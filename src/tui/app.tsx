import chalk from 'chalk';
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useEffect, useReducer, useRef, useState } from 'react';
import stringWidth from 'string-width';
import { actionOf, isAccountCommand, nameCompletions, parseCommand, type AccountCommand } from '../client/commands.js';
import type { ClientEvents } from '../client/client.js';
import { presenceNotices } from '../client/notices.js';
import type { ChatSession, SessionState } from '../client/session.js';
import { ALL, HcpError } from '../protocol/index.js';
import { joinedText, refusalText, runAccountCommand } from './account-commands.js';
import { inputWindow } from './input-view.js';
import { LineEditor } from './line-editor.js';
import { logView, rowsOf, type EntryKind, type LogEntry } from './log-rows.js';
import { PasteCollector } from './paste.js';
import { Prompt, type Question } from './prompt.js';
import { visibleUsers } from './user-list.js';

const MAX_ENTRIES = 5000;
const USERS_WIDTH = 24;
/** A paste of more lines than this is sent only once the user confirms it. */
const PASTE_CONFIRM_LINES = 3;
/** Box-drawing characters need a capable terminal; a dumb one gets plain ASCII. */
const BORDER = process.env.TERM === 'dumb' ? 'classic' : 'single';

export interface AppProps {
  session: ChatSession;
  /** Log in to this account once connected, asking for its password first (`--name NAME --login`). */
  loginAs?: string | undefined;
}

/** The terminal client: message log with scroll-back, online users, input line. */
export function App({ session, loginAs }: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [size, setSize] = useState({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [entries, setEntries] = useState<LogEntry[]>([]);
  const [users, setUsers] = useState<string[]>([]);
  const [state, setState] = useState<SessionState>(session.state);
  const [target, setTarget] = useState({ name: session.target, present: true });
  /** Rows of the log below the window: 0 follows the newest message. */
  const [rowsBelow, setRowsBelow] = useState(0);
  /** A long paste waiting for Enter (send) or Esc (cancel). */
  const [pendingPaste, setPendingPaste] = useState<string | undefined>();
  const editor = useRef(new LineEditor()).current;
  const paste = useRef(new PasteCollector()).current;
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const history = useRef<{ entries: string[]; at: number }>({ entries: [], at: 0 });
  const completion = useRef<{ base: string; candidates: string[]; index: number; result: string } | undefined>(undefined);
  const nextId = useRef(1);
  /** Questions asked in the input line (passwords): keys go there, not to the chat line. */
  const prompt = useRef<Prompt | undefined>(undefined);

  const usersWidth = Math.min(USERS_WIDTH, Math.floor(size.columns / 3));
  // the log box: its borders and one column of padding on each side
  const logWidth = Math.max(1, size.columns - usersWidth - 4);
  const logHeight = Math.max(3, size.rows - 4);

  // The handlers may run again before React re-renders: they read the latest values from here.
  const live = useRef({ logWidth, rowsBelow, pendingPaste });
  live.current = { logWidth, rowsBelow, pendingPaste };

  const add = (kind: EntryKind, text: string, from?: string) => {
    const entry: LogEntry = { id: nextId.current++, time: new Date().toTimeString().slice(0, 5), kind, text, from };
    setEntries((es) => [...es.slice(-(MAX_ENTRIES - 1)), entry]);
    // scrolled back, the window stays on what it shows
    if (live.current.rowsBelow > 0) setRowsBelow((r) => r + rowsOf(entry, live.current.logWidth).length);
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
        previous = s;
        setState(s);
      }),
      session.on('joined', (e) => add('notice', joinedText(e))),
      session.on('refused', (e) => add('error', refusalText(e))),
      session.on('users', (e) => {
        setUsers(e.users);
        if (!e.initial) for (const line of presenceNotices(e)) add('notice', line);
      }),
      session.on('message', (m) => showMessage(m)),
      session.on('error', (e) => add('error', e.reason)),
      session.on('target', (t) => {
        setTarget({ name: t.target, present: t.present });
        if (!t.present) add('error', `${t.target} left: whispers to them are refused until they come back (/all to talk to everyone).`);
      }),
    ];
    session.start(); // once listening, so that nothing it says is missed
    return () => offs.forEach((off) => off());
  }, [session]);

  const showMessage = (m: ClientEvents['message']) => {
    const action = actionOf(m.text);
    const me = session.name ?? 'You';
    if (action !== undefined) {
      const who = m.to === ALL ? (m.own ? me : m.from) : m.own ? `${me} → ${m.to}:` : `${m.from} → you:`;
      return add('action', action, who);
    }
    if (m.to === ALL) add(m.own ? 'own' : 'message', m.text, m.own ? 'You' : m.from);
    else add(m.own ? 'own' : 'whisper', m.text, m.own ? `You → ${m.to}` : `${m.from} → you`);
  };

  const name = state.kind === 'joined' ? state.name : session.name;
  // the list's box holds logHeight lines: its title, then the users
  const list = visibleUsers(users, logHeight - 1, [name, target.name === ALL ? undefined : target.name]);

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
      // select whom to talk to: All, then each other user in turn
      const targets = [ALL, ...session.users.filter((u) => u !== session.name)];
      const at = targets.indexOf(session.target);
      session.setTarget(targets[(at + (chars === 'n' ? 1 : targets.length - 1)) % targets.length]!);
    } else if (key.pageUp) {
      setRowsBelow((r) => Math.min(Math.max(0, view.total - logHeight), r + logHeight - 1));
    } else if (key.pageDown) {
      setRowsBelow((r) => Math.max(0, Math.min(r, view.rowsBelow) - (logHeight - 1)));
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
      const found = nameCompletions(editor.text, session.users);
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

  const sendText = (text: string, to = session.target, retype?: string) => {
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

  const submit = (line: string) => {
    setRowsBelow(0);
    if (line.trim() === '') return;
    const h = history.current;
    h.entries = [...h.entries, line].slice(-200);
    h.at = h.entries.length;
    const cmd = parseCommand(line, { target: session.target, users: session.users, lastWhisperer: session.lastWhisperer }, { accounts: true });
    if (isAccountCommand(cmd)) return runAccount(cmd);
    if (cmd.kind === 'quit') {
      session.close();
      exit();
      return;
    }
    if (cmd.kind === 'help') return add('help', '');
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
        try {
          session.setTarget(cmd.to);
          return add('notice', session.target === ALL ? 'Talking to everyone.' : `Whispering to ${session.target}; /all to talk to everyone.`);
        } catch (err) {
          return add('error', (err as Error).message);
        }
      case 'say':
        return sendText(cmd.text, cmd.to, line);
    }
  };

  const view = logView(entries, logWidth, logHeight, rowsBelow);
  const status = statusText(state, session.address);
  const asking = prompt.current;
  const promptText = asking ? asking.question.label : pendingPaste !== undefined
    ? `Send ${pendingPaste.split('\n').length} lines to ${target.name === ALL ? 'everyone' : target.name}? Enter sends, Esc cancels `
    : !name ? 'name> ' : target.name === ALL ? '[All]> ' : `[→ ${target.name}${target.present ? '' : ' (left)'}]> `;
  const inputWidth = Math.max(1, size.columns - stringWidth(promptText) - 1);
  const input = asking ? inputWindow(asking.shown, asking.shown.length, inputWidth)
    : pendingPaste === undefined ? inputWindow(editor.text, editor.cursor, inputWidth)
    : { before: '', at: ' ', after: '' };
  return (
    <Box flexDirection="column" height={size.rows} width={size.columns}>
      <Box justifyContent="space-between">
        <Text wrap="truncate-end">
          <Text bold color="yellow">Howdy </Text>
          <Text color={state.kind === 'joined' ? 'green' : state.kind === 'disconnected' ? 'red' : 'yellow'}>{status}</Text>
          <Text dimColor>{session.wire === 'classic' ? ' (classic)' : ''}</Text>
        </Text>
        <Text dimColor wrap="truncate-start">{view.rowsBelow > 0 ? `↑ ${view.rowsBelow} more rows below, PgDn ` : '/help '}</Text>
      </Box>
      <Box height={logHeight + 2}>
        <Box flexDirection="column" width={logWidth + 4} justifyContent="flex-end" borderStyle={BORDER} paddingX={1}>
          {view.rows.map((row, i) => (
            <Text key={i} wrap="truncate-end">{row || ' '}</Text>
          ))}
        </Box>
        <Box flexDirection="column" width={usersWidth} borderStyle={BORDER} paddingX={1} overflow="hidden">
          <Text bold wrap="truncate-end">Online ({users.length})</Text>
          {list.shown.map((u) => (
            <Text key={u} wrap="truncate-end" color={u === target.name ? 'magenta' : undefined} bold={u === name}>
              {u === target.name ? '» ' : '  '}
              {u}
              {u === name ? ' (you)' : ''}
            </Text>
          ))}
          {list.more > 0 && <Text dimColor wrap="truncate-end">  … and {list.more} more</Text>}
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
  }
}
