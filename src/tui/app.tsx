import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useEffect, useReducer, useRef, useState } from 'react';
import type { ChatClient } from '../client/client.js';
import { presenceNotices } from '../client/notices.js';
import { ALL, HcpError } from '../protocol/index.js';
import { COMMANDS, nameCompletions, parseCommand } from '../client/commands.js';
import { LineEditor } from './line-editor.js';
import { visibleUsers } from './user-list.js';

type LineKind = 'message' | 'own' | 'whisper' | 'notice' | 'error';
interface Line {
  id: number;
  time: string;
  kind: LineKind;
  from?: string;
  text: string;
}

const MAX_LINES = 5000;
const USERS_WIDTH = 24;
/** Box-drawing characters need a capable terminal; a dumb one gets plain ASCII. */
const BORDER = process.env.TERM === 'dumb' ? 'classic' : 'single';

export interface AppProps {
  client: ChatClient;
  /** Propose this name at once (--name). */
  initialName?: string;
}

/** The terminal client: message log with scroll-back, online users, input line. */
export function App({ client, initialName }: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [size, setSize] = useState({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [lines, setLines] = useState<Line[]>([]);
  const [users, setUsers] = useState<string[]>([]);
  const [name, setName] = useState<string | undefined>();
  const [target, setTarget] = useState(ALL);
  const editor = useRef(new LineEditor()).current;
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const [scroll, setScroll] = useState(0);
  const [connected, setConnected] = useState(true);
  const history = useRef<{ entries: string[]; at: number }>({ entries: [], at: 0 });
  const completion = useRef<{ base: string; candidates: string[]; index: number; result: string } | undefined>(undefined);
  const nextId = useRef(1);

  const add = (kind: LineKind, text: string, from?: string) => {
    const time = new Date().toTimeString().slice(0, 5);
    setLines((ls) => [...ls.slice(-(MAX_LINES - 1)), { id: nextId.current++, time, kind, text, from }]);
  };

  useEffect(() => {
    const onResize = () => setSize({ columns: stdout.columns, rows: stdout.rows });
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout]);

  useEffect(() => {
    const offs = [
      client.on('accepted', (e) => {
        setName(e.name);
        add('notice', `You joined as ${e.name}. Type /help for commands.`);
      }),
      client.on('refused', (e) => add('error', `The name "${e.name}" was refused${e.reason ? `: ${e.reason}` : ''}. Type another name.`)),
      client.on('users', (e) => {
        setUsers(e.users);
        if (!e.initial) for (const line of presenceNotices(e)) add('notice', line);
        setTarget((t) => (t === ALL || e.users.includes(t) ? t : ALL));
      }),
      client.on('message', (m) => {
        if (m.to === ALL) add(m.own ? 'own' : 'message', m.text, m.own ? 'You' : m.from);
        else add(m.own ? 'own' : 'whisper', m.text, m.own ? `You → ${m.to}` : `${m.from} → you`);
      }),
      client.on('error', (e) => add('error', e.reason)),
      client.on('close', (e) => {
        setConnected(false);
        add('error', `Connection lost: ${e.reason}. Type /quit to leave.`);
      }),
    ];
    add('notice', `Connected to ${client.address} (${client.wire === 'framed' ? 'HCP/2' : 'classic HCP/1: the server did not answer the HCP/2 preface'}).`);
    if (initialName) client.propose(initialName);
    else add('notice', 'Type the name you want and press Enter.');
    return () => offs.forEach((off) => off());
  }, [client]);

  const logHeight = Math.max(3, size.rows - 4);
  // the list's box holds logHeight lines: its title, then the users
  const list = visibleUsers(users, logHeight - 1, [name, target === ALL ? undefined : target]);

  useInput((chars, key) => {
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
      const { users, name } = live.current;
      const targets = [ALL, ...users.filter((u) => u !== name)];
      setTarget((t) => targets[(targets.indexOf(t) + (chars === 'n' ? 1 : targets.length - 1)) % targets.length]!);
    } else if (key.pageUp) {
      setScroll((s) => Math.min(s + logHeight - 1, Math.max(0, lines.length - logHeight)));
    } else if (key.pageDown) {
      setScroll((s) => Math.max(0, s - (logHeight - 1)));
    } else if (key.tab) {
      let c = completion.current;
      if (c && c.result === editor.text) c.index = (c.index + 1) % c.candidates.length;
      else {
        const found = nameCompletions(editor.text, live.current.users);
        c = found.candidates.length ? { ...found, index: 0, result: '' } : undefined;
      }
      completion.current = c;
      if (c) {
        c.result = c.base + c.candidates[c.index]! + (c.base === '' ? ': ' : ' ');
        editor.set(c.result);
      }
    } else if (chars && !key.ctrl && !key.meta && !key.escape) {
      // a paste may hold whole lines: each is sent as it ends
      const parts = chars.replace(/\r\n?/g, '\n').split('\n');
      editor.insert(parts[0]!);
      for (const part of parts.slice(1)) {
        submit(editor.take());
        editor.insert(part);
      }
    }
    redraw();
  });

  // The key handler may run again before React re-renders: it reads the latest state from here.
  const live = useRef({ users, target, name, connected });
  live.current = { users, target, name, connected };

  const submit = (line: string) => {
    const { users, target, name, connected } = live.current;
    setScroll(0);
    if (line.trim() === '') return;
    const h = history.current;
    h.entries = [...h.entries, line].slice(-200);
    h.at = h.entries.length;
    const cmd = parseCommand(line, { target, users });
    if (cmd.kind === 'quit') {
      client.close();
      exit();
      return;
    }
    if (cmd.kind === 'help') return COMMANDS.forEach((c) => add('notice', `${c.usage.padEnd(14)} ${c.meaning}`));
    if (cmd.kind === 'invalid') return add('error', cmd.reason);
    if (!connected) return add('error', 'Not connected. Type /quit to leave.');
    if (!name) {
      const wanted = cmd.kind === 'name' ? cmd.name : line.trim();
      return client.propose(wanted);
    }
    switch (cmd.kind) {
      case 'name':
        return add('error', `You are ${name}; names cannot be changed once joined.`);
      case 'who':
        return add('notice', `Online (${users.length}): ${users.join(', ')}`);
      case 'target': {
        const to = cmd.to === ALL ? ALL : users.find((u) => u.toLowerCase() === cmd.to.toLowerCase());
        if (!to) return add('error', `Nobody called "${cmd.to}" is online.`);
        setTarget(to);
        return add('notice', to === ALL ? 'Talking to everyone.' : `Whispering to ${to}; /all to talk to everyone.`);
      }
      case 'say':
        try {
          client.send(cmd.to, cmd.text);
        } catch (err) {
          add('error', err instanceof HcpError ? err.message : String(err));
        }
    }
  };

  const cursorChar = Array.from(editor.text.slice(editor.cursor))[0] ?? '';
  const visible = lines.slice(Math.max(0, lines.length - logHeight - scroll), lines.length - scroll);
  const status = !connected ? 'disconnected' : name ? `${name} @ ${client.address}` : `naming @ ${client.address}`;
  const prompt = !name ? 'name> ' : target === ALL ? '[All]> ' : `[→ ${target}]> `;
  return (
    <Box flexDirection="column" height={size.rows} width={size.columns}>
      <Box justifyContent="space-between">
        <Text>
          <Text bold color="yellow">Howdy </Text>
          <Text color={connected ? 'green' : 'red'}>{status}</Text>
          <Text dimColor>{client.wire === 'classic' ? ' (classic)' : ''}</Text>
        </Text>
        <Text dimColor>{scroll > 0 ? `scrolled back ${scroll} lines: PgDn ` : '/help '}</Text>
      </Box>
      <Box flexGrow={1} height={logHeight + 2}>
        <Box flexDirection="column" flexGrow={1} justifyContent="flex-end" overflow="hidden" borderStyle={BORDER} paddingX={1}>
          {visible.map((l) => (
            <LogLine key={l.id} line={l} />
          ))}
        </Box>
        <Box flexDirection="column" width={USERS_WIDTH} borderStyle={BORDER} paddingX={1} overflow="hidden">
          <Text bold>Online ({users.length})</Text>
          {list.shown.map((u) => (
            <Text key={u} wrap="truncate-end" color={u === target ? 'magenta' : undefined} bold={u === name}>
              {u === target ? '» ' : '  '}
              {u}
              {u === name ? ' (you)' : ''}
            </Text>
          ))}
          {list.more > 0 && <Text dimColor wrap="truncate-end">  … and {list.more} more</Text>}
        </Box>
      </Box>
      <Box>
        <Text color="cyan">{prompt}</Text>
        <Text>
          {editor.text.slice(0, editor.cursor)}
          <Text inverse>{cursorChar || ' '}</Text>
          {editor.text.slice(editor.cursor + cursorChar.length)}
        </Text>
      </Box>
    </Box>
  );
}

function LogLine({ line }: { line: Line }) {
  const color = { message: undefined, own: 'green', whisper: 'magenta', notice: 'gray', error: 'red' }[line.kind];
  return (
    <Text wrap="wrap">
      <Text dimColor>{line.time} </Text>
      {line.from !== undefined ? (
        <>
          <Text bold color={color}>
            {line.from}:
          </Text>{' '}
          <Text color={line.kind === 'whisper' ? 'magenta' : undefined}>{line.text}</Text>
        </>
      ) : (
        <Text color={color} italic={line.kind === 'notice'}>
          {line.kind === 'notice' ? '* ' : '! '}
          {line.text}
        </Text>
      )}
    </Text>
  );
}
