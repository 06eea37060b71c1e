/** The browser GUI in a real browser (Debian chromium through playwright-core). */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { connect } from '../../src/client/tcp.js';
import type { ChatClient } from '../../src/client/client.js';
import { launchBrowser, logTexts, openChatPage, pickName, say } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { repoRoot } from '../helpers/spawn.js';

let browser: Browser;
let server: TestServer;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const url = () => `http://127.0.0.1:${server.httpAddress!.port}/`;
const openPage = (width = 1000) => openChatPage(browser, url(), { viewport: { width, height: 700 } });
describe('browser GUI', () => {
  it('two browser users and a terminal-side user chat, whisper, see joins and leaves', async () => {
    server = await startTestServer({ httpPort: 0 });
    const alice = await openPage();
    // a name of spaces only is not silently ignored
    await alice.locator('#login button:enabled').waitFor();
    await pickName(alice, '   ');
    await expect.poll(() => alice.locator('#login-error').innerText()).toBe('Type a name: it cannot be only spaces.');
    await pickName(alice, 'Alice');
    await expect.poll(() => alice.locator('#chat').isVisible()).toBe(true);
    await expect.poll(() => alice.locator('#users li').allInnerTexts()).toEqual(['Alice (you)']);

    // a refused name shows the server's reason, and the user tries again
    const bob = await openPage(390); // phone width
    await pickName(bob, 'alice');
    await expect.poll(() => bob.locator('#login-error').innerText()).toContain('already taken');
    await pickName(bob, 'Bob');
    await expect.poll(() => bob.locator('#chat').isVisible()).toBe(true);
    await expect.poll(() => logTexts(alice)).toContainEqual(expect.stringContaining('Bob joined.'));

    // a terminal-side user over TCP
    const carol: ChatClient = await connect('127.0.0.1', server.port);
    await carol.register('Carol');
    await expect.poll(() => alice.locator('#users li').allInnerTexts()).toEqual(['Alice (you)', 'Bob', 'Carol']);
    const carolGot: string[] = [];
    carol.on('message', (m) => void (m.own || carolGot.push(`${m.from}>${m.to}: ${m.text}`)));

    // broadcast, shown to the sender too
    await say(alice, 'Howdy, folks! <img src=x onerror="document.title=1">');
    await expect.poll(() => logTexts(bob)).toContainEqual(expect.stringContaining('Alice Howdy, folks! <img src=x onerror="document.title=1">'));
    await expect.poll(() => logTexts(alice)).toContainEqual(expect.stringContaining('You Howdy, folks!'));
    expect(await bob.locator('#log img').count()).toBe(0);
    await expect.poll(() => carolGot).toContain('Alice>All: Howdy, folks! <img src=x onerror="document.title=1">');

    // a whisper from Alice to Carol: Carol gets it, Bob does not
    await alice.click('#users li[data-name="Carol"]');
    await expect.poll(() => alice.locator('#target-label').innerText()).toBe('Whisper to Carol');
    await say(alice, 'just between us');
    await expect.poll(() => carolGot).toContain('Alice>Carol: just between us');
    await alice.click('#sidebar li[data-name="All"] .who'); // back to everyone

    // the terminal user whispers to Bob: it stands out as unread until Bob opens it
    carol.send('Bob', 'psst, Bob');
    await expect.poll(() => bob.locator('#users li[data-name="Carol"] .badge').innerText()).toBe('1');
    expect((await logTexts(bob)).join('\n')).not.toContain('psst'); // in the whispers with Carol, not the lobby
    // the badge can be cleared without switching whom Bob talks to (on a phone, in the sidebar's drawer)
    await bob.click('#sidebar-toggle');
    await bob.click('#users li[data-name="Carol"] .badge');
    await expect.poll(() => bob.locator('#users li[data-name="Carol"] .badge').count()).toBe(0);
    expect(await bob.locator('#target-label').innerText()).toBe('To everyone');
    await bob.click('#users li[data-name="Carol"] .who');
    await expect.poll(() => bob.locator('#log li.whisper').allInnerTexts()).toEqual([expect.stringContaining('Carol psst, Bob')]);
    await bob.click('#sidebar-toggle');
    await bob.click('#sidebar li[data-name="All"] .who');
    await expect.poll(() => bob.locator('#sidebar').isVisible()).toBe(false);
    expect(await bob.locator('#target-label').innerText()).toBe('To everyone');

    // Bob keeps typing while messages arrive
    await bob.fill('#text', 'I am typ');
    for (let i = 0; i < 5; i++) carol.send('All', `tick ${i}`);
    await expect.poll(() => logTexts(bob)).toContainEqual(expect.stringContaining('tick 4'));
    await bob.type('#text', 'ing slowly');
    expect(await bob.inputValue('#text')).toBe('I am typing slowly');
    await bob.press('#text', 'Enter');
    await expect.poll(() => carolGot).toContain('Bob>All: I am typing slowly');
    expect(carolGot.filter((m) => m.includes('just between us') || m.includes('psst'))).toEqual(['Alice>Carol: just between us']);
    expect((await logTexts(bob)).join('\n')).not.toContain('just between us');

    mkdirSync(`${repoRoot}/test-artifacts`, { recursive: true });
    await alice.screenshot({ path: `${repoRoot}/test-artifacts/gui-chat.png` });
    await bob.screenshot({ path: `${repoRoot}/test-artifacts/gui-chat-phone.png` });

    // reading back: the log does not jump when messages arrive, and offers a way down
    for (let i = 0; i < 40; i++) carol.send('All', `filler ${i}`);
    await expect.poll(() => logTexts(alice)).toContainEqual(expect.stringContaining('filler 39'));
    await alice.evaluate(() => (document.getElementById('log')!.scrollTop = 0));
    carol.send('All', 'while you read');
    await expect.poll(() => logTexts(alice)).toContainEqual(expect.stringContaining('while you read'));
    expect(await alice.evaluate(() => document.getElementById('log')!.scrollTop)).toBe(0);
    await expect.poll(() => alice.locator('#jump').isVisible()).toBe(true);
    await alice.click('#jump');
    await expect.poll(() => alice.evaluate(() => { const l = document.getElementById('log')!; return l.scrollHeight - l.scrollTop - l.clientHeight; })).toBeLessThan(40);

    // a leave is announced to the rest
    carol.close();
    await expect.poll(() => logTexts(alice)).toContainEqual(expect.stringContaining('Carol left.'));
    await expect.poll(() => logTexts(bob)).toContainEqual(expect.stringContaining('Carol left.'));

    // empty text is not sent; the page says why
    await bob.fill('#text', '   ');
    await bob.press('#text', 'Enter');
    await expect.poll(() => bob.locator('#send-error').innerText()).toBe('Type a message first: an empty one is not sent.');

    // the server goes away and comes back: the page says so and reconnects under its name
    const { port, httpAddress } = { port: server.port, httpAddress: server.httpAddress! };
    await server.close();
    await expect.poll(() => alice.locator('#status').innerText()).toContain('reconnecting');
    // while disconnected the page shows nobody online (it cannot know), and sending says why it fails
    expect(await alice.locator('#users li').count()).toBe(0);
    await say(alice, 'anyone there?');
    await expect.poll(() => alice.locator('#send-error').innerText()).toMatch(/^Not connected: reconnecting in \d+ s\.$/);
    server = await startTestServer({ port, httpPort: httpAddress.port });
    // someone holds "Alice" for a while (as a server that has not yet noticed a dropped connection
    // would): the page waits for the name rather than giving it up
    const squatter = await connect('127.0.0.1', port);
    await squatter.register('Alice');
    await expect.poll(() => alice.locator('#status').innerText(), { timeout: 15_000 }).toContain('waiting for the server to release');
    squatter.close();
    await expect.poll(() => logTexts(alice), { timeout: 15_000 }).toContainEqual(expect.stringContaining('Reconnected as Alice.'));
    // one truthful state: connected, the list back, and no leftover "not connected" under the input
    await expect.poll(() => alice.locator('#status').innerText()).toBe(`connected to 127.0.0.1:${httpAddress.port}`);
    expect(await alice.locator('#send-error').innerText()).toBe('');
    await expect.poll(async () => (await alice.locator('#users li').allInnerTexts()).sort()).toEqual(['Alice (you)', 'Bob']);
    await say(alice, '/all back again'); // her target, Carol, left: /all talks to everyone again
    await expect.poll(() => logTexts(bob)).toContainEqual(expect.stringContaining('Alice back again'));
    await expect.poll(() => server.core.names().sort(), { timeout: 15_000 }).toEqual(['Alice', 'Bob']);
  }, 40_000); // a restart, reconnect backoff and a name held for a while
});
