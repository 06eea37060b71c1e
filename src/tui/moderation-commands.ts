import type { ModerationCommand } from '../client/commands.js';
import { banText, moderationText, untilText, type Ban, type OnlineUser } from '../client/moderation.js';
import { runFeatureCommand, type CommandIo } from './command-runner.js';

/** Runs /users, /warn, /kick (/kill), /mute, /ban, /unban, /bans and /announce (docs/protocol.md §10.6); refusals in plain words. */
export async function runModerationCommand(cmd: ModerationCommand, io: CommandIo): Promise<void> {
  const { session } = io;
  const feature = {
    commands: 'moderation commands', granted: session.moderationEnabled,
    lacks: 'has no moderation (it keeps no accounts)', afterJoining: 'log in to your account, then moderate',
  };
  await runFeatureCommand(io, feature, () => run(cmd, io), (err) => moderationText(err.code, err.message) ?? err.message);
}

async function run(cmd: ModerationCommand, io: CommandIo): Promise<void> {
  const { session } = io;
  switch (cmd.kind) {
    case 'onlineUsers':
      return io.notice(usersTable(await session.moderate((c) => c.onlineUsers())));
    case 'warn':
      await session.moderate((c) => c.warn(cmd.name, cmd.text));
      return io.notice(`You warned ${cmd.name}: ${cmd.text}`);
    case 'disconnect':
      await session.moderate((c) => c.kick(cmd.name, cmd.reason));
      return io.notice(`You kicked ${cmd.name}${cmd.reason ? `: ${cmd.reason}` : ''}.`);
    case 'mute': {
      const until = await session.moderate((c) => c.mute(cmd.name, cmd.minutes * 60));
      return io.notice(cmd.minutes === 0 ? `You unmuted ${cmd.name}.` : `You muted ${cmd.name} ${untilText(until)}.`);
    }
    case 'ban': {
      const ban = await session.moderate((c) => c.ban(cmd.ban));
      return io.notice(`You banned ${ban.kind === 'address' ? `the address ${ban.value}` : ban.value} ${untilText(ban.until)}: ban #${ban.id} (/unban ${ban.id} lifts it).`);
    }
    case 'unban':
      await session.moderate((c) => c.unban(cmd.id));
      return io.notice(`You lifted ban #${cmd.id}.`);
    case 'bans':
      return io.notice(bansText(await session.moderate((c) => c.bans())));
    case 'announce':
      await session.moderate((c) => c.announce(cmd.text));
      return io.notice('You announced it to everyone.');
  }
}

/** /users: a table, a row a user: name, address, connected since (UTC), how, role, muted. */
export function usersTable(users: readonly OnlineUser[]): string {
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
export function bansText(bans: readonly Ban[]): string {
  if (bans.length === 0) return 'No bans in force.';
  return [`Bans in force (${bans.length}): /unban ID lifts one`, ...bans.map((b) => `  ${banText(b)}`)].join('\n');
}
