import type { ModerationCommand } from '../client/commands.js';
import { moderationResult } from '../client/moderation-commands.js';
import { moderationText } from '../client/moderation.js';
import { runFeatureCommand, type CommandIo } from './command-runner.js';

/** Runs /users, /warn, /kick (/kill), /mute, /ban, /unban, /bans, /announce, /close and /takeover (docs/protocol.md §10.6); refusals in plain words. */
export async function runModerationCommand(cmd: ModerationCommand, io: CommandIo): Promise<void> {
  const { session } = io;
  const feature = {
    commands: 'moderation commands', granted: session.moderationEnabled,
    lacks: 'has no moderation (it keeps no accounts)', afterJoining: 'log in to your account, then moderate',
  };
  await runFeatureCommand(io, feature, async () => io.notice(await moderationResult(cmd, session)), (err) => moderationText(err.code, err.message) ?? err.message);
}
