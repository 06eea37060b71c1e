import type { AccountCommand } from '../client/commands.js';
import type { SessionEvents } from '../client/session.js';
import { ErrorCode, type ExtensionFields } from '../protocol/index.js';
import { runFeatureCommand, type CommandIo } from './command-runner.js';
import type { Question } from './prompt.js';

/** What an account command needs of the terminal client. */
export interface AccountIo extends CommandIo {
  /** Asks in the input line; undefined when the user pressed Esc. */
  ask(questions: Question[]): Promise<string[] | undefined>;
}

const password = (label: string): Question => ({ label: `${label} (hidden, Esc cancels): `, hidden: true });

/**
 * Runs /register, /login, /password, /unregister, /whois, /status and /profile (docs/protocol.md
 * §10.3), and /block, /unblock, /blocks (§10.7, guests too). Passwords are asked for apart, hidden;
 * refusals are told in plain words.
 */
export async function runAccountCommand(cmd: AccountCommand, io: AccountIo): Promise<void> {
  const feature = { commands: 'account commands', granted: io.session.accounts, lacks: 'has no accounts' };
  await runFeatureCommand(io, feature, () => run(cmd, io), (err) => `${failed(cmd)}: ${err.message}.`);
}

async function run(cmd: AccountCommand, io: AccountIo): Promise<void> {
  const { session } = io;
  const name = session.name;
  if (cmd.kind === 'login') {
    if (name !== undefined) return io.error(`You are ${name} already: /login takes a name before joining (howdy chat --name NAME --login).`);
    const answers = await io.ask([password(`Password for ${cmd.name}`)]);
    if (!answers) return io.notice('Login cancelled.');
    return session.login(cmd.name, answers[0]!); // answered by the session's joined or refused event
  }
  if (cmd.kind === 'whois') return io.notice(profileText(await session.whois(cmd.name)));
  if (cmd.kind === 'register' && cmd.name !== undefined) {
    if (name !== undefined) return io.error(`You are ${name} already: /register alone registers it.`);
    const chosen = await askNewPassword(io, `Password for the new account ${cmd.name}`);
    if (chosen === undefined) return;
    return session.signUp(cmd.name, chosen); // answered by the session's joined or refused event
  }
  if (name === undefined) return io.error('Pick a name first, or /register NAME to create an account with it.');
  if (cmd.kind === 'register') {
    if (session.loggedIn) return io.error(`"${name}" is registered to you already.`);
    const chosen = await askNewPassword(io, 'Password for your account');
    if (chosen === undefined) return;
    await session.createAccount(chosen);
    return io.notice(`"${name}" is registered to you now: /login ${name} takes it from now on (howdy chat --name ${name} --login).`);
  }
  switch (cmd.kind) {
    case 'block': {
      const blocked = await session.block(cmd.name);
      return io.notice(`You block ${blocked}: their messages no longer reach you (they are not told). /unblock ${blocked} undoes it.`);
    }
    case 'unblock':
      await session.unblock(cmd.name);
      return io.notice(`You no longer block ${cmd.name}.`);
    case 'blocks': {
      const blocks = await session.blocks();
      if (blocks.length === 0) return io.notice('You block nobody.');
      return io.notice(['You block:', ...blocks.map((b) => `  ${b.name}${b.registered ? '' : ' (a guest, while online)'}`)].join('\n'));
    }
  }
  if (!session.loggedIn) return io.error(`"${name}" is not registered: /register it first.`);
  switch (cmd.kind) {
    case 'password': {
      const current = await io.ask([password('Current password')]);
      const chosen = current && (await askNewPassword(io, 'New password'));
      if (current === undefined || chosen === undefined) return;
      await session.changePassword(current[0]!, chosen);
      return io.notice('Your password is changed.');
    }
    case 'unregister': {
      const sure = await io.ask([{ label: `Delete the account "${name}" for good? Type yes (Esc cancels): `, hidden: false }]);
      if (sure?.[0]?.trim().toLowerCase() !== 'yes') return io.notice('Nothing was deleted.');
      const answers = await io.ask([password('Password')]);
      if (!answers) return io.notice('Nothing was deleted.');
      await session.deleteAccount(answers[0]!);
      return io.notice(`The account "${name}" is deleted: you stay online as a guest.`);
    }
    case 'status': {
      const profile = await session.setProfile({ status: cmd.status, statusMessage: cmd.message });
      return io.notice(`Your status: ${statusText(profile)}.`);
    }
    case 'profile':
      if (cmd.field === undefined) return io.notice(profileText(await session.whois(name)));
      await session.setProfile({ [cmd.field]: cmd.text });
      return io.notice(cmd.field === 'about' ? 'Your about text is changed.' : `Your display name is now "${cmd.text}".`);
  }
}

/** A new password, typed twice; undefined (told why) when cancelled or the two differ. */
async function askNewPassword(io: AccountIo, label: string): Promise<string | undefined> {
  const answers = await io.ask([password(label), password('The same again')]);
  if (!answers) return io.notice('Cancelled: nothing was changed.'), undefined;
  if (answers[0] !== answers[1]) return io.error('The two passwords differ: nothing was changed.'), undefined;
  return answers[0];
}

function failed(cmd: AccountCommand): string {
  return {
    register: 'Not registered', login: 'Not logged in', password: 'Password not changed', unregister: 'Account not deleted',
    whois: `Nobody found as "${'name' in cmd ? cmd.name : ''}"`, status: 'Status not changed', profile: 'Profile not changed',
    block: 'Not blocked', unblock: 'Not unblocked', blocks: 'Your blocks could not be listed',
  }[cmd.kind];
}

function statusText(f: ExtensionFields): string {
  return `${f.status ?? 'available'}${f.statusMessage ? `: ${f.statusMessage}` : ''}`;
}

/** /whois as lines: who, online or not, registered or a guest, then the profile and the rooms in common (§10.4). */
export function profileText(f: ExtensionFields): string {
  const lines = [`${f.name}: ${f.online ? 'online' : 'offline'}, ${f.registered ? 'registered' : 'a guest (not registered)'}`];
  if (f.registered) {
    lines.push(`  display name: ${f.displayName ?? f.name}`, `  status: ${statusText(f)}`);
    if (f.about) lines.push(`  about: ${f.about}`);
  }
  if (f.commonRoom?.length) lines.push(`  rooms in common: ${f.commonRoom.join(', ')}`);
  return lines.join('\n');
}

/** Why a name was not taken, in plain words, with what to do next. */
export function refusalText(e: SessionEvents['refused']): string {
  switch (e.code) {
    case ErrorCode.NAME_REGISTERED:
      return `"${e.name}" is a registered name. If it is yours, type /login ${e.name}; else type another name.`;
    case ErrorCode.LOGIN_REQUIRED:
      return `This server admits only users who log in: /login NAME with your account, or /register ${e.name} to create one.`;
    case ErrorCode.LOGIN_FAILED:
    case ErrorCode.LOGIN_THROTTLED:
      return `Could not log in as "${e.name}": ${e.reason}. /login ${e.name} to try again, or type another name.`;
    default:
      return `The name "${e.name}" was refused${e.reason ? `: ${e.reason}` : ''}. Type another name.`;
  }
}

/** How the user was told of a name taken. */
export function joinedText(e: SessionEvents['joined']): string {
  if (e.again) return e.loggedIn ? `Reconnected, and logged in again as ${e.name}.` : `Reconnected as ${e.name}.`;
  return `${e.loggedIn ? 'You logged in as' : 'You joined as'} ${e.name}. Type /help for commands.`;
}
