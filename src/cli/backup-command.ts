import { Command } from 'commander';
import { SERVER_OPTIONS } from '../server/options.js';
import { flagsOf } from './server-command.js';

export function backupCommand(): Command {
  const command = new Command('backup')
    .description("copy a server's data to FILE, consistently, while it runs (SQLite's online backup)")
    .argument('<file>', 'the copy to make: a new file');
  // --data / HOWDY_DATA as the server reads them: the same table entry
  for (const option of flagsOf(SERVER_OPTIONS.data)) command.addOption(option);
  return command.action(async (file: string, opts: { data: string }) => {
    const { backup } = await import('../server/store/backup.js');
    const done = await backup(opts.data, file);
    process.stdout.write(`backed up ${done.source} to ${done.target} (${done.pages} pages)\n`);
  });
}
