import { connectWebSocket, presenceNotices, type ChatClient, type UsersEvent } from '../client/index.js';
import { ALL, ErrorCode, errorCodeName, HcpError } from '../protocol/index.js';
import { ChatLog } from './log.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $('status');
const loginForm = $<HTMLFormElement>('login');
const nameInput = $<HTMLInputElement>('name');
const loginError = $('login-error');
const chat = $('chat');
const userList = $('users');
const count = $('count');
const composer = $<HTMLFormElement>('composer');
const textInput = $<HTMLInputElement>('text');
const targetLabel = $('target-label');
const sendError = $('send-error');
const log = new ChatLog($('log'), $<HTMLButtonElement>('jump'));

// The page talks to the server (or the `howdy gui` bridge) that served it.
const token = new URLSearchParams(location.search).get('token');
const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/hcp${token ? `?token=${encodeURIComponent(token)}` : ''}`;

let client: ChatClient | undefined;
/** The name this page registered, re-proposed after a reconnect. */
let myName: string | undefined;
let target = ALL;
const unread = new Map<string, number>();
let retryMs = 1000;

function setStatus(text: string, bad = false): void {
  status.textContent = text;
  status.classList.toggle('bad', bad);
}

async function connect(): Promise<void> {
  setStatus('connecting…');
  try {
    client = await connectWebSocket(wsUrl);
  } catch {
    return retry();
  }
  retryMs = 1000;
  const c = client;
  setStatus('connected');
  void serverName().then((name) => client === c && setStatus(`connected to ${name}`));
  c.on('users', renderUsers);
  c.on('message', (m) => {
    log.message(m, myName);
    if (!m.own && m.to !== ALL && m.from !== target) {
      unread.set(m.from, (unread.get(m.from) ?? 0) + 1);
      renderUsers();
    }
  });
  c.on('error', (e) => {
    if (!e.fatal) sendError.textContent = e.reason;
  });
  c.on('close', ({ reason }) => {
    if (client !== c) return;
    client = undefined;
    log.notice(`Connection lost: ${reason}.`);
    retry();
  });
  if (myName) await join(myName, true);
  else loginForm.querySelector('button')!.disabled = false;
}

/** The server's address: this page's host, or the server `howdy gui` relays to (its /healthz says). */
async function serverName(): Promise<string> {
  try {
    const health = (await (await fetch('/healthz')).json()) as { server?: string };
    return health.server ?? location.host;
  } catch {
    return location.host;
  }
}

function retry(): void {
  setStatus(`disconnected, reconnecting in ${Math.round(retryMs / 1000)} s…`, true);
  setTimeout(() => void connect(), retryMs);
  retryMs = Math.min(retryMs * 2, 10_000);
}

/** Tries to take the name back after a reconnect while the server may still hold the old connection. */
const REJOIN_TRIES = 5;
const REJOIN_WAIT_MS = 2000;

async function join(name: string, again = false, tries = REJOIN_TRIES): Promise<void> {
  if (!client) return;
  const answer = await client.register(name);
  if (!answer.accepted && again && answer.code === ErrorCode.NAME_TAKEN && tries > 1) {
    // the server has not yet noticed that our old connection is gone
    setStatus(`waiting for the server to release "${name}"…`);
    await new Promise((r) => setTimeout(r, REJOIN_WAIT_MS));
    return join(name, true, tries - 1);
  }
  if (answer.accepted) {
    myName = answer.name;
    loginForm.hidden = true;
    chat.hidden = false;
    document.title = `Howdy: ${myName}`;
    log.notice(again ? `Reconnected as ${myName}.` : `You joined as ${myName}.`);
    textInput.focus();
  } else {
    myName = undefined;
    chat.hidden = true;
    loginForm.hidden = false;
    loginError.textContent = answer.reason ?? 'That name is taken or not allowed; pick another.';
    nameInput.select();
  }
}

function renderUsers(event?: UsersEvent): void {
  if (!client) return;
  if (event && !event.initial) for (const line of presenceNotices(event)) log.notice(`${line}.`);
  if (target !== ALL && !client.users.includes(target)) selectTarget(ALL);
  const items = [ALL, ...client.users].map((name) => {
    const li = document.createElement('li');
    li.textContent = name === ALL ? 'Everyone (All)' : name;
    li.dataset.name = name;
    if (name === myName) {
      li.classList.add('me');
      li.append(' (you)');
    }
    if (name === target) li.classList.add('selected');
    const n = unread.get(name);
    if (n) {
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = String(n);
      badge.title = `${n} unread whisper${n > 1 ? 's' : ''}`;
      li.append(badge);
    }
    return li;
  });
  userList.replaceChildren(...items);
  count.textContent = `(${client.users.length})`;
}

function selectTarget(name: string): void {
  target = name === target ? ALL : name;
  unread.delete(target);
  targetLabel.textContent = target === ALL ? 'To everyone' : `Whisper to ${target}`;
  textInput.placeholder = target === ALL ? 'Say howdy…' : `Whisper to ${target}…`;
  renderUsers();
  textInput.focus();
}

userList.addEventListener('click', (ev) => {
  const li = (ev.target as HTMLElement).closest('li');
  const name = li?.dataset.name;
  if (name && name !== myName) selectTarget(name);
});

loginForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  loginError.textContent = '';
  const name = nameInput.value.trim();
  if (name) void join(name);
});

composer.addEventListener('submit', (ev) => {
  ev.preventDefault();
  sendError.textContent = '';
  if (!client) {
    sendError.textContent = 'Not connected; reconnecting…';
    return;
  }
  try {
    client.send(target, textInput.value);
    textInput.value = '';
  } catch (err) {
    sendError.textContent = err instanceof HcpError ? `${err.message} (${errorCodeName(err.code)})` : String(err);
  }
});

loginForm.querySelector('button')!.disabled = true;
void connect();
