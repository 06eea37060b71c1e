/** `howdy gui`: the same page, through a local bridge, with the 2016 server (classic HCP/1). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { connect } from '../../src/client/tcp.js';
import { launchBrowser } from '../helpers/browser.js';
import { startLegacyServer } from '../helpers/legacy.js';
import { exited, howdy, waitOutput } from '../helpers/spawn.js';
import { upgradeStatus } from '../helpers/websocket.js';
import WebSocket from 'ws';
import { encodeFrame, ErrorCode, MsgType, parseMessage, payloadOf, type HcpMessage } from '../../src/protocol/index.js';

let browser: Browser;
let legacy: Awaited<ReturnType<typeof startLegacyServer>>;
let gui: ReturnType<typeof howdy>;
beforeAll(async () => {
  browser = await launchBrowser();
  legacy = await startLegacyServer();
});
afterAll(async () => {
  gui?.kill('SIGKILL');
  legacy?.stop();
  await browser?.close();
});

describe('howdy gui (local bridge)', () => {
  it('lets a browser user chat on the 2016 server with a terminal user', async () => {
    gui = howdy(['gui', `127.0.0.1:${legacy.port}`, '--no-open', '--log-format', 'json']);
    const [, url] = await waitOutput(gui, /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+) in your browser/);
    const page = await browser.newPage();
    await page.goto(url!);
    await page.fill('#name', 'Stephen Colbert');
    await page.click('#login button');
    await expect.poll(() => page.locator('#chat').isVisible()).toBe(true);
    await expect.poll(() => page.locator('#status').innerText()).toBe(`connected to 127.0.0.1:${legacy.port}`);

    const jon = await connect('127.0.0.1', legacy.port, { prefaceTimeoutMs: 300 });
    await jon.register('Jon Stewart');
    await expect.poll(() => page.locator('#log li').allInnerTexts()).toContainEqual(expect.stringContaining('Jon Stewart joined.'));
    const got: string[] = [];
    jon.on('message', (m) => void (m.own || got.push(`${m.from}: ${m.text}`)));
    await page.fill('#text', 'Howdy from the browser');
    await page.press('#text', 'Enter');
    await expect.poll(() => got).toEqual(['Stephen Colbert: Howdy from the browser']);
    jon.send('Stephen Colbert', 'whisper back');
    await expect.poll(() => page.locator('#users li[data-name="Jon Stewart"] .badge').innerText()).toBe('1');
    await page.click('#users li[data-name="Jon Stewart"] .who'); // the whispers with him
    expect(await page.locator('#log li.whisper').allInnerTexts()).toEqual([expect.stringContaining('Jon Stewart whisper back')]);
    expect(await page.locator('#rooms').count()).toBe(0); // a classic server has no rooms
    expect(gui.output()).toContain('"wire":"classic"');
    jon.close();
    await page.close();
  });

  it('answers the page\'s CAPS itself for a classic server (none granted), so nobody waits for an answer that never comes', async () => {
    const [, base, token] = gui.output().match(/Open http:\/\/(127\.0\.0\.1:\d+)\/\?token=(\S+) in/)!;
    const ws = new WebSocket(`ws://${base}/hcp?token=${token}`, ['hcp.v2']);
    const got: HcpMessage[] = [];
    ws.on('message', (d: Buffer) => void got.push(parseMessage(d[0]!, d.subarray(1))!));
    await new Promise((r) => ws.once('open', r));
    ws.send(payloadOf(encodeFrame({ type: MsgType.CAPS, id: 7, fields: { caps: ['accounts'] } })));
    ws.send(payloadOf(encodeFrame({ type: MsgType.WHOIS, id: 8, fields: { name: 'x' } })));
    await expect.poll(() => got, { timeout: 5000 }).toHaveLength(2); // after the bridge found the server classic (its 1 s preface wait)
    expect(got).toEqual([
      { type: MsgType.REPLY, id: 7, fields: {} },
      expect.objectContaining({ type: MsgType.ERROR, code: ErrorCode.REQUEST_INVALID, id: 8 }),
    ]);
    ws.close();
  });

  it('refuses WebSocket connections without the token or from another origin', async () => {
    const [, base, token] = gui.output().match(/Open http:\/\/(127\.0\.0\.1:\d+)\/\?token=(\S+) in/)!;
    expect(await upgradeStatus(`ws://${base}/hcp`)).toBe(403);
    expect(await upgradeStatus(`ws://${base}/hcp?token=${token!.slice(1)}x`)).toBe(403);
    expect(await upgradeStatus(`ws://${base}/hcp?token=${token}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(`ws://${base}/hcp?token=${token}`, { Origin: `http://${base}` })).toBe(101);
    gui.kill('SIGTERM');
    expect(await exited(gui)).toBe(0);
  });
});
