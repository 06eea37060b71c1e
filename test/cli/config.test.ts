/** `howdy server --config f.toml`: precedence, refusals, the example file, and SIGHUP reloads. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleConfig } from '../../src/cli/config.js';
import { ErrorCode, MsgType } from '../../src/protocol/index.js';
import { ClassicPeer, FramedPeer, join, type AnyPeer } from '../helpers/clients.js';
import { exited, freePort, howdy, repoRoot, waitOutput } from '../helpers/spawn.js';

const children: ReturnType<typeof howdy>[] = [];
const peers: AnyPeer[] = [];
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(joinPath(tmpdir(), 'howdy-config-'));
});
afterEach(() => {
  for (const p of peers.splice(0)) p.socket.destroy();
  for (const c of children.splice(0)) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const path = joinPath(dir, name);
  writeFileSync(path, text);
  return path;
}

function server(args: string[], env: NodeJS.ProcessEnv = {}): ReturnType<typeof howdy> {
  const child = howdy(['server', '--log-format', 'json', ...args], env);
  children.push(child);
  return child;
}

/** The JSON log lines with message `msg`. */
function lines(child: { output: () => string }, msg: string): Array<Record<string, unknown>> {
  return child.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === msg);
}

async function listeningPort(child: ReturnType<typeof howdy>): Promise<number> {
  return Number((await waitOutput(child, /"port":(\d+),"msg":"server is started and listening"/))[1]);
}

/** Sends `text` to All; resolves with the code of the ERROR that refuses it, or 'relayed' once `to` has it. */
async function say(from: FramedPeer, to: AnyPeer, text: string): Promise<number | 'relayed'> {
  from.send({ type: MsgType.MESSAGE, from: fromName.get(from)!, to: 'All', text });
  const arrived = () => to.received.findIndex((m) => m.type === MsgType.MESSAGE && m.text === text);
  await from.until(() => from.received.some((m) => m.type === MsgType.ERROR) || arrived() >= 0, `"${text}"`);
  const error = from.received.findIndex((m) => m.type === MsgType.ERROR);
  if (error < 0) {
    to.received.splice(arrived(), 1);
    return 'relayed';
  }
  const [refused] = from.received.splice(error, 1);
  return (refused as { code: number }).code;
}
const fromName = new Map<FramedPeer, string>();
async function user(port: number, name: string): Promise<FramedPeer> {
  const peer = await join(FramedPeer.open(port), name);
  peers.push(peer);
  fromName.set(peer, name);
  return peer;
}

describe('the configuration file', () => {
  it('is read with flags > environment > file > defaults', async () => {
    const [fromFile, fromEnv, fromFlag] = [await freePort(), await freePort(), await freePort()];
    const config = file('howdy.toml', `port = ${fromFile}\nhttp = false\nmax-text = 5\n`);
    const onlyFile = server(['--config', config]);
    expect(await listeningPort(onlyFile)).toBe(fromFile);
    expect(onlyFile.output()).not.toContain('web client at'); // http = false
    const ann = await user(fromFile, 'ann');
    const bob = await user(fromFile, 'bob');
    expect(await say(ann, bob, '123456')).toBe(ErrorCode.TEXT_TOO_LONG); // max-text from the file
    onlyFile.kill('SIGTERM');
    await exited(onlyFile);

    const withEnv = server([], { HOWDY_CONFIG: config, HOWDY_PORT: String(fromEnv) });
    expect(await listeningPort(withEnv)).toBe(fromEnv);
    const withFlag = server(['--config', config, '--port', String(fromFlag)], { HOWDY_PORT: String(fromEnv) });
    expect(await listeningPort(withFlag)).toBe(fromFlag);
  });

  it('refuses an unknown key, a wrong type, a value out of range and broken TOML: one line naming the file, the key and what is allowed', async () => {
    const cases: Array<[string, RegExp]> = [
      ['max-txt = 5\n', /^howdy: .*bad\.toml: unknown key "max-txt"; the keys are host, port, .*max-text.*motd-file\n$/],
      ['max-text = "big"\n', /^howdy: .*bad\.toml: max-text: expected an integer\n$/],
      ['max-text = 0\n', /^howdy: .*bad\.toml: max-text: expected an integer from 1 to 16777216\n$/],
      ['accounts = "maybe"\n', /^howdy: .*bad\.toml: accounts: expected optional, required or off\n$/],
      ['http = "no"\n', /^howdy: .*bad\.toml: http: expected true or false\n$/],
      ['port = \n', /^howdy: .*bad\.toml:1:8: .+\n$/],
      ['motd = "ring \\u0007"\n', /^howdy: .*bad\.toml: motd: expected a text without control characters: .*0x07.*\n$/],
      [`motd = "${'x'.repeat(3968)}"\n`, /^howdy: .*bad\.toml: motd: expected a text of at most 3967 bytes, not 3968\n$/],
      ['motd = "hi"\nmotd-file = "motd.txt"\n', /^howdy: give motd or motd-file, not both\n$/],
    ];
    for (const [text, expected] of cases) {
      const child = server(['--config', file('bad.toml', text)]);
      expect(await exited(child), text).toBe(1);
      expect(child.output(), text).toMatch(expected);
    }
  });

  it('howdy.example.toml is the option table as the generator writes it, and a server starts with every key in it set', async () => {
    const example = readFileSync(joinPath(repoRoot, 'howdy.example.toml'), 'utf8');
    expect(example).toBe(exampleConfig());
    // every key given its default (those without one stay commented), ports moved out of the way by flags
    const uncommented = example.split('\n').map((l) => (/^# [a-z-]+ = /.test(l) && !l.includes('not set by default') ? l.slice(2) : l)).join('\n');
    expect(uncommented.match(/^[a-z-]+ = /gm)!.length).toBeGreaterThan(25);
    const child = server(['--config', file('howdy.toml', uncommented), '--port', '0', '--http-port', '0']);
    await listeningPort(child);
    await waitOutput(child, /web client at/);
  });
});

describe('SIGHUP reloads the file', () => {
  it('applies a new limit to open and new connections, says what changed and what needs a restart, and re-reads the motd-file', async () => {
    const port = await freePort();
    const motd = file('motd.txt', 'Old rules.\n');
    const config = file('howdy.toml', `port = ${port}\nhttp = false\nmax-text = 100\nmotd-file = "${motd}"\n`);
    const child = server(['--config', config]);
    await listeningPort(child);
    const ann = await user(port, 'ann');
    const bob = await user(port, 'bob');
    expect(await say(ann, bob, 'twenty bytes of text')).toBe('relayed');

    writeFileSync(config, `port = ${port + 1}\nhttp = false\nmax-text = 10\nmotd-file = "${motd}"\n`);
    writeFileSync(motd, 'New rules.\n');
    child.kill('SIGHUP');
    await waitOutput(child, /"msg":"reloaded"/);
    expect(lines(child, 'option changed')).toEqual(expect.arrayContaining([
      expect.objectContaining({ option: 'max-text', old: 100, new: 10 }),
      expect.objectContaining({ option: 'motd', old: 'Old rules.', new: 'New rules.' }),
    ]));
    expect(lines(child, 'option changed but needs a restart: not applied')).toEqual([expect.objectContaining({ option: 'port', old: port, new: port + 1 })]);

    expect(await say(ann, bob, 'twenty bytes of text')).toBe(ErrorCode.TEXT_TOO_LONG); // an open connection
    const cy = await user(port, 'cy');
    expect(await say(cy, bob, 'twenty bytes of text')).toBe(ErrorCode.TEXT_TOO_LONG); // a new one
    expect(await say(cy, bob, 'short')).toBe('relayed');
    const classic = await join(ClassicPeer.open(port), 'dee');
    peers.push(classic);
    await classic.take(MsgType.MESSAGE, (m) => m.from === 'Server' && m.text === 'New rules.');
  });

  it('a file that cannot be used is logged and the server keeps running with its options', async () => {
    const port = await freePort();
    const config = file('howdy.toml', `port = ${port}\nhttp = false\nmax-text = 10\n`);
    const child = server(['--config', config]);
    await listeningPort(child);
    writeFileSync(config, 'max-text = "lots"\n');
    child.kill('SIGHUP');
    await waitOutput(child, /"msg":"reload refused: the running options are kept"/);
    expect(lines(child, 'reload refused: the running options are kept')[0]).toMatchObject({ reason: expect.stringMatching(/howdy\.toml: max-text: expected an integer/) });
    const ann = await user(port, 'ann');
    const bob = await user(port, 'bob');
    expect(await say(ann, bob, 'eleven byte')).toBe(ErrorCode.TEXT_TOO_LONG);
    expect(child.exitCode).toBe(null);
  });

  it('changes the log level live', async () => {
    const port = await freePort();
    const config = file('howdy.toml', `port = ${port}\nhttp = false\n`);
    const child = server(['--config', config]);
    await listeningPort(child);
    writeFileSync(config, `port = ${port}\nhttp = false\nlog-level = "warn"\n`);
    child.kill('SIGHUP');
    await waitOutput(child, /"option":"log-level","old":"info","new":"warn"/);
    const ann = await user(port, 'ann');
    ann.send({ type: MsgType.MESSAGE, from: 'ann', to: 'nobody', text: 'hi' }); // refused: a warning
    await waitOutput(child, /"msg":"request refused"/);
    expect(lines(child, 'name accepted')).toEqual([]); // info lines are no longer written
  });
});
