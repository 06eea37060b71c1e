import { Command } from 'commander';
import { adminCommand } from './admin-command.js';
import { backupCommand } from './backup-command.js';
import { benchCommand, soakCommand } from './bench-command.js';
import { chatCommand } from './chat-command.js';
import { guiCommand } from './gui-command.js';
import { serverCommand } from './server-command.js';

const program = new Command('howdy')
  .description('Howdy: chat over the Howdy Chat Protocol (HCP)')
  .version('0.1.0')
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
