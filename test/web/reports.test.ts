/**
 * Reports in the web client (docs/protocol.md §10.6), in a real browser: a user reports someone's
 * message with a reason from the message's Report action; an admin finds it in the Moderation
 * panel's Reports, deletes the message (gone for the reporter too), closes the report, reads the
 * deletion in the Audit log and gives a role in Staff; a phone-width panel keeps every tab reachable.
 */
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/client/tcp.js';
import { joinAs, logIn, logTexts, screenshot, webRig } from '../helpers/browser.js';

const rig = webRig();
const PASSWORD = 'correct horse battery';
const WAIT = { timeout: 10_000 };

/** An account made over TCP, given `role` (or none) by the server's store. */
async function account(name: string, role?: 'admin' | 'moderator'): Promise<void> {
  const c = await connect('127.0.0.1', rig.server.port);
  await c.requestCapabilities(['accounts']);
  await c.createAccount(PASSWORD, name);
  c.close();
  if (role) await rig.server.core.moderation!.grant({ name: 'cli', role: 'admin' }, name, role);
}

describe('reports', () => {
  it('a user reports a message; an admin deletes it from Reports (gone for the reporter), closes the report, sees the delete in the Audit log, and makes a moderator in Staff', async () => {
    await account('boss', 'admin');
    await account('carol');
    const amy = await rig.open({ viewport: { width: 1280, height: 800 } });
    await joinAs(amy, 'amy');
    const admin = await rig.open({ viewport: { width: 1280, height: 800 } });
    await logIn(admin, 'boss', PASSWORD);
    const bob = await connect('127.0.0.1', rig.server.port);
    rig.peers.push(bob);
    expect(await bob.register('bob')).toMatchObject({ accepted: true });
    bob.send('All', 'buy cheap pills at spam.example');

    await amy.locator('#log li', { hasText: 'buy cheap pills' }).waitFor(WAIT);
    const msgId = await amy.locator('#log li', { hasText: 'buy cheap pills' }).getAttribute('data-msg-id');
    const line = amy.locator(`#log li[data-msg-id="${msgId}"]`);
    await line.focus(); // keyboard: the line's actions show within it
    await amy.getByRole('button', { name: "Report bob's message" }).click();
    await amy.fill('#report-reason', 'spam');
    await amy.press('#report-reason', 'Enter');
    await expect.poll(() => amy.locator('#report-message-done').innerText(), WAIT).toBe('Reported: the moderators have been told.');
    await amy.getByRole('button', { name: 'Close', exact: true }).last().click();
    // the staff online are told at once, by Server, where they are
    await expect.poll(() => logTexts(admin), WAIT).toContainEqual(expect.stringMatching(/Report #\d+ by amy: bob to All: "buy cheap pills at spam\.example" \(spam\)/));

    await admin.click('#moderation-toggle');
    await admin.getByRole('tab', { name: 'Reports' }).click();
    const report = admin.locator('#mod-reports li').first();
    await expect.poll(() => report.innerText(), WAIT).toMatch(/bob\s*to All\s*open[\s\S]*buy cheap pills at spam\.example[\s\S]*reported by amy[\s\S]*“spam”/);
    await screenshot(admin, 'web-moderation-reports');
    await report.getByRole('button', { name: /^Delete the message of report/ }).click();
    await expect.poll(() => line.innerText(), WAIT).toMatch(/message deleted/);
    expect(await line.innerText()).not.toMatch(/pills/);
    await report.getByRole('button', { name: /^Close report/ }).click();
    await expect.poll(() => report.innerText(), WAIT).toMatch(/closed by boss/);
    await expect.poll(() => report.getByRole('button').count(), WAIT).toBe(0);
    expect(await report.innerText()).toMatch(/buy cheap pills/); // the report keeps the text

    await admin.getByRole('tab', { name: 'Audit log' }).click();
    const rows = admin.locator('#mod-audit tbody tr');
    await expect.poll(() => rows.allInnerTexts(), WAIT).toEqual(expect.arrayContaining([expect.stringMatching(/boss\s+report-close\s+report \d+/), expect.stringMatching(/boss\s+delete\s+message \d+\s+from bob to All/)]));
    expect(await rows.first().innerText()).toMatch(/report-close/); // newest first

    await admin.getByRole('tab', { name: 'Staff' }).click();
    await admin.fill('#grant-name', 'carol');
    await admin.selectOption('#grant-role', 'moderator');
    await admin.click('#grant button[type=submit]');
    await expect.poll(() => admin.locator('#grant-done').innerText(), WAIT).toBe('carol is now a moderator.');
    expect(await rig.server.store.moderation.role('carol')).toBe('moderator');
  }, 40_000); // three conversations, the panel's four tabs

  it('the audit log pages to older entries; a moderator has no Staff tab; the tabs fit a phone', async () => {
    await account('mod', 'moderator');
    for (let i = 0; i < 30; i++) await rig.server.store.moderation.audit({ at: new Date(), actor: 'cli', action: 'token', target: `t${i}`, detail: '' });
    const page = await rig.open({ viewport: { width: 390, height: 844 } });
    await logIn(page, 'mod', PASSWORD);
    await page.click('#moderation-toggle');
    await expect.poll(() => page.getByRole('tab').allInnerTexts(), WAIT).toEqual(['People online', 'Reports', 'Bans', 'Announce', 'Audit log', 'Metrics']);
    const audit = page.getByRole('tab', { name: 'Audit log' });
    await audit.focus();
    expect(await audit.isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    const rows = page.locator('#mod-audit tbody tr');
    await expect.poll(() => rows.count(), WAIT).toBe(25);
    expect(await rows.first().innerText()).toMatch(/cli\s+token\s+t29/);
    await page.click('#audit-older');
    await expect.poll(() => rows.count(), WAIT).toBeGreaterThan(25);
    expect(await rows.nth(25).innerText()).toMatch(/cli\s+token\s+t4\b/);
    const wide = await page.evaluate(() => Array.from(document.querySelectorAll('#moderation-dialog *')).filter((e) => e.getBoundingClientRect().right > 391).map((e) => `${e.tagName}#${e.id}.${e.className} ${e.getBoundingClientRect().right}`));
    expect(wide).toEqual([]); // nothing in the panel runs off the side of the phone
  });
});
