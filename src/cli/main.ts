import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { adminCommand } from './admin-command.js';
import { backupCommand } from './backup-command.js';
import { benchCommand, soakCommand } from './bench-command.js';
import { chatCommand } from './chat-command.js';
import { guiCommand } from './gui-command.js';
import { serverCommand } from './server-command.js';

// The installed package's own version: ../../package.json from src/cli (tsx) and from dist/cli alike.
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('howdy')
  .description('Howdy: chat over the Howdy Chat Protocol (HCP)')
  .version(version)
  .addCommand(serverCommand())
  .addCommand(backupCommand())
  .addCommand(adminCommand())
  .addCommand(guiCommand())
  .addCommand(chatCommand())
  .addCommand(benchCommand())
  .addCommand(soakCommand());

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`howdy: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
