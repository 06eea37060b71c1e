import type { ModerationCommand } from './commands.js';
import { banText, untilText, type AuditPage, type Ban, type OnlineUser, type Report } from './moderation.js';
import type { ChatSession } from './session.js';

/**
 * Runs a moderation command (docs/protocol.md §10.6) for either client and resolves with what to
 * tell the user of it (lines; /users a table); rejects with the server's refusal (HcpError).
 */
export async function moderationResult(cmd: ModerationCommand, session: ChatSession): Promise<string> {
  switch (cmd.kind) {
    case 'onlineUsers':
      return usersTable(await session.moderate((c) => c.onlineUsers()));
    case 'warn':
      await session.moderate((c) => c.warn(cmd.name, cmd.text));
      return `You warned ${cmd.name}: ${cmd.text}`;
    case 'disconnect':
      await session.moderate((c) => c.kick(cmd.name, cmd.reason));
      return `You kicked ${cmd.name}${cmd.reason ? `: ${cmd.reason}` : ''}.`;
    case 'mute': {
      const until = await session.moderate((c) => c.mute(cmd.name, cmd.minutes * 60));
      return cmd.minutes === 0 ? `You unmuted ${cmd.name}.` : `You muted ${cmd.name} ${untilText(until)}.`;
    }
    case 'ban': {
      const ban = await session.moderate((c) => c.ban(cmd.ban));
      return `You banned ${ban.kind === 'address' ? `the address ${ban.value}` : ban.value} ${untilText(ban.until)}: ban #${ban.id} (/unban ${ban.id} lifts it).`;
    }
    case 'unban':
      await session.moderate((c) => c.unban(cmd.id));
      return `You lifted ban #${cmd.id}.`;
    case 'bans':
      return bansText(await session.moderate((c) => c.bans()));
    case 'announce':
      await session.moderate((c) => c.announce(cmd.text));
      return 'You announced it to everyone.';
    case 'room':
      await session.moderate((c) => c.moderateRoom(cmd.room, cmd.action));
      return cmd.action === 'close' ? `You closed ${cmd.room}.` : `You took ${cmd.room} over: you are its owner now.`;
    case 'reports':
      return reportsText(await session.moderate((c) => c.reports()));
    case 'closeReport':
      await session.moderate((c) => c.closeReport(cmd.id));
      return `You closed report #${cmd.id}.`;
    case 'audit':
      return auditText(await session.moderate((c) => c.audit({ ...(cmd.before !== undefined && { before: cmd.before }), limit: AUDIT_PAGE })));
    case 'grant': {
      const name = await session.moderate((c) => c.grant(cmd.name, cmd.role));
      return cmd.role === 'none' ? `${name} has no staff role now.` : `${name} is now ${cmd.role === 'admin' ? 'an admin' : 'a moderator'}.`;
    }
  }
}

/** Audit entries /audit shows at a time. */
const AUDIT_PAGE = 20;

/** "2026-12-06 14:05" (UTC, as the server's times are told). */
const utc = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ');

/** /reports: one line a report, open ones first: its number, when, who reported whose message, and why. */
function reportsText(reports: readonly Report[]): string {
  if (reports.length === 0) return 'No reports.';
  const open = reports.filter((r) => !r.closedBy).length;
  return [
    `Reports (${open} open): /close-report ID closes one`,
    ...reports.map((r) => `  #${r.id} ${utc(r.at)} UTC ${r.closedBy ? `closed by ${r.closedBy}` : 'OPEN'}: ${r.reporter} reported ${r.from} to ${r.to}: "${r.text.replace(/\s*\n\s*/g, ' ')}"${r.reason ? ` (${r.reason})` : ''}`),
  ].join('\n');
}

/** /audit: one line an entry, newest first, and how to see older ones. */
function auditText(page: AuditPage): string {
  if (page.entries.length === 0) return 'The audit trail holds nothing more.';
  const lines = page.entries.map((e) => `  #${e.id} ${utc(e.at)} UTC ${e.actor} ${e.action} ${e.target}${e.detail ? `: ${e.detail}` : ''}`);
  return ['Audit trail, newest first:', ...lines, ...(page.more ? [`  older: /audit ${page.entries.at(-1)!.id}`] : [])].join('\n');
}

/** /users: a table, a row a user: name, address, connected since (UTC), how, role, muted. */
function usersTable(users: readonly OnlineUser[]): string {
  const rows = [
    ['NAME', 'ADDRESS', 'SINCE (UTC)', 'VIA', 'ROLE', 'MUTED'],
    ...users.map((u) => [
      u.name, u.address, u.since.toISOString().slice(0, 16).replace('T', ' '), u.transport, u.role ?? '', u.mutedUntil ? untilText(u.mutedUntil) : '',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => `  ${r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()}`);
  return [`Online (${users.length}):`, ...lines].join('\n');
}

/** /bans: one line a ban, its number first. */
function bansText(bans: readonly Ban[]): string {
  if (bans.length === 0) return 'No bans in force.';
  return [`Bans in force (${bans.length}): /unban ID lifts one`, ...bans.map((b) => `  ${banText(b)}`)].join('\n');
}
