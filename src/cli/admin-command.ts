import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import { SERVER_OPTIONS } from '../server/options.js';
import type { Store } from '../server/core/ports.js';
import { flagsOf } from './server-command.js';

/** Who the audit trail names for what is done here: the person at the server machine. */
const CLI_ACTOR = 'cli';

/**
 * `howdy admin`: staff roles, admin API tokens and the audit trail, on the data folder directly
 * (the store opened as a second process: WAL lets it write while the server runs). A running
 * server reads roles from the store at each moderation request, so a grant counts at once.
 */
export function adminCommand(): Command {
  const admin = new Command('admin').description('moderation: staff roles, admin API tokens, the audit trail (on the data folder, also while the server runs)');
  const withData = (command: Command) => {
    for (const option of flagsOf(SERVER_OPTIONS.data)) command.addOption(option);
    return command;
  };
  admin.addCommand(withData(new Command('grant'))
    .description('give the registered account NAME a role: admin, moderator, or none')
    .argument('<name>', 'a registered account')
    .argument('<role>', 'admin, moderator or none')
    .action((name: string, role: string, opts: { data: string }) => onStore(opts.data, async (store) => {
      const { grantRole } = await import('../server/core/moderation.js');
      const registered = await grantRole(store.moderation, store.accounts, CLI_ACTOR, name, role, quietLog);
      process.stdout.write(role === 'none' ? `${registered} has no role now\n` : `${registered} is now ${role === 'admin' ? 'an admin' : 'a moderator'}\n`);
    })));
  admin.addCommand(withData(new Command('token'))
    .description('make a bearer token for the HTTP admin API: shown once, only its hash is kept')
    .action((opts: { data: string }) => onStore(opts.data, async (store) => {
      const { tokenHash } = await import('../http/admin-api.js');
      const token = randomBytes(32).toString('hex');
      await store.moderation.addToken(tokenHash(token), new Date());
      await store.moderation.audit({ at: new Date(), actor: CLI_ACTOR, action: 'token', target: `api-token:${tokenHash(token).slice(0, 6)}`, detail: '' });
      process.stdout.write(`${token}\n`);
      process.stderr.write('keep it secret: it is not shown again (use it as "Authorization: Bearer <token>")\n');
    })));
  admin.addCommand(withData(new Command('log'))
    .description('the audit trail: who did what to whom, when (newest last)')
    .option('--limit <n>', 'how many entries, the newest', positive, 50)
    .action((opts: { data: string; limit: number }) => onStore(opts.data, async (store) => {
      const entries = await store.moderation.auditLog(opts.limit);
      for (const e of entries.reverse()) {
        process.stdout.write(`${e.at.toISOString()}  ${e.actor}  ${e.action}  ${e.target}${e.detail && `  ${e.detail}`}\n`);
      }
    })));
  admin.addCommand(withData(new Command('reports'))
    .description('the messages users reported: open ones first, then the closed, each newest first')
    .option('--limit <n>', 'how many reports', positive, 50)
    .action((opts: { data: string; limit: number }) => onStore(opts.data, async (store) => {
      const reports = await store.moderation.reports(opts.limit);
      if (reports.length === 0) process.stdout.write('no reports\n');
      for (const r of reports) {
        const state = r.closed ? `closed by ${r.closed.by}` : 'open';
        process.stdout.write(`#${r.id}  ${r.at.toISOString()}  ${state}  ${r.reporter} reported message ${r.msgId}, ${r.from} to ${r.to}: ${JSON.stringify(r.text)}${r.reason && `  reason: ${r.reason}`}\n`);
      }
    })));
  return admin;
}

/** The CLI's own lines say what happened: the shared code's log lines are not wanted on the terminal. */
const quietLog = { debug() {}, info() {}, warn() {}, error() {} };

async function onStore(data: string, work: (store: Store) => Promise<void>): Promise<void> {
  const { openStore } = await import('../server/store/sqlite.js');
  const store = await openStore({ data });
  try {
    await work(store);
  } finally {
    await store.close();
  }
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('a whole number, 1 or more');
  return n;
}
