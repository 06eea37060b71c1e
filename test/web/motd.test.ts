/** The message of the day in the web client: a notice at the top of the lobby (docs/protocol.md §10.5). */
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/client/tcp.js';
import { joinAs, logTexts, webRig } from '../helpers/browser.js';

const rig = webRig();
afterEach(async () => {
  for (const p of rig.peers.splice(0)) p.close();
  for (const context of rig.browser.contexts()) await context.close();
});

describe('web client: the message of the day', () => {
  it('shows it apart from the messages, at the top of the lobby only', async () => {
    rig.server.apply({ motd: 'Welcome to Howdy!\nBe nice.' });
    const bob = await connect('127.0.0.1', rig.server.port);
    rig.peers.push(bob);
    await bob.register('bob');
    const page = await rig.open();
    await joinAs(page, 'alice');
    const notice = page.getByRole('complementary', { name: 'Message of the day' });
    await expect.poll(() => notice.innerText()).toBe('Welcome to Howdy!\nBe nice.');
    expect((await logTexts(page)).join('\n')).not.toContain('Be nice.');
    await page.click('#users li[data-name="bob"] button');
    await expect.poll(() => notice.count()).toBe(0);
    await page.click('#sidebar li[data-name="All"] .who');
    await expect.poll(() => notice.count()).toBe(1);
  });
});
