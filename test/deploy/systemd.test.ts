import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/spawn.js';

const run = promisify(execFile);
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/**
 * deploy/howdy.service with ExecStart's /usr/bin/howdy (where `npm install -g` with prefix /usr
 * links bin/howdy.js) pointing at this tree's bin/howdy.js: verify checks that the command exists.
 */
function unitFile(): string {
  const unit = readFileSync(joinPath(repoRoot, 'deploy/howdy.service'), 'utf8');
  expect(unit).toContain('ExecStart=/usr/bin/howdy server --config /etc/howdy/howdy.toml --data /var/lib/howdy\n');
  const dir = mkdtempSync(joinPath(tmpdir(), 'howdy-unit-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = joinPath(dir, 'howdy.service');
  writeFileSync(file, unit.replace('ExecStart=/usr/bin/howdy ', `ExecStart=${joinPath(repoRoot, 'bin/howdy.js')} `));
  return file;
}

// systemd-analyze (Debian's systemd, installed by scripts/system-deps.sh) works without systemd running.
describe('deploy/howdy.service', () => {
  it('passes systemd-analyze verify without a warning', async () => {
    const { stdout, stderr } = await run('systemd-analyze', ['verify', unitFile()]);
    expect(stdout + stderr).toBe('');
  });

  it('keeps its hardening: an exposure level of 2.0 or less in systemd-analyze security', async () => {
    // --threshold counts tenths: the command fails above 2.0.
    const { stdout } = await run('systemd-analyze', ['security', '--offline=true', '--threshold=20', unitFile()]);
    const level = stdout.match(/Overall exposure level for howdy\.service: (\d+\.\d)/)?.[1];
    expect(Number(level)).toBeLessThanOrEqual(2);
  });
});
