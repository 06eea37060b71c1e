/**
 * Blocking in the web client (docs/protocol.md §10.7), in a real browser: Block on a person's
 * profile card stops their lobby messages while others' still show; Settings lists the block with
 * Unblock, by keyboard, and their messages come back.
 */
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/client/tcp.js';
import { joinAs, logTexts, webRig } from '../helpers/browser.js';

const rig = webRig();

describe('blocking in the web client', () => {
  it('Block on the profile card hides the blocked user\'s lobby messages, not others\'; Unblock in Settings brings them back', async () => {
    const page = await rig.open({ viewport: { width: 1100, height: 700 } });
    await joinAs(page, 'Alice');
    const bob = await connect('127.0.0.1', rig.server.port);
    const carol = await connect('127.0.0.1', rig.server.port);
    rig.peers.push(bob, carol);
    expect(await bob.register('Bob')).toMatchObject({ accepted: true });
    expect(await carol.register('Carol')).toMatchObject({ accepted: true });

    await page.getByRole('button', { name: 'Profile of Bob' }).click();
    await page.locator('#block-toggle').waitFor();
    await page.locator('#block-toggle').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#block-toggle').innerText(), { timeout: 10_000 }).toBe('Unblock Bob');
    await page.keyboard.press('Escape');

    bob.send('All', 'spam from bob');
    carol.send('All', 'hello from carol');
    await expect.poll(async () => (await logTexts(page)).join('\n'), { timeout: 10_000 }).toContain('hello from carol');
    expect((await logTexts(page)).join('\n')).not.toContain('spam from bob');

    await page.getByRole('button', { name: 'Settings: your profile and password' }).click();
    const unblock = page.getByRole('button', { name: 'Unblock Bob' });
    await unblock.waitFor();
    await unblock.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#blocked').innerText(), { timeout: 10_000 }).toContain('You block nobody');
    await page.keyboard.press('Escape');
    bob.send('All', 'bob is back');
    await expect.poll(async () => (await logTexts(page)).join('\n'), { timeout: 10_000 }).toContain('bob is back');
  });
});
