import { execFileSync } from 'node:child_process';
import { repoRoot } from './spawn.js';

/** A real terminal: a tmux session on a private tmux server, typed into and read like a person would. */
export class Terminal {
  private static readonly socket = `howdy-test-${process.pid}`;

  /**
   * Ends every terminal and waits for the tmux server to be gone: a terminal opened while it is
   * still exiting fails ("server exited unexpectedly").
   */
  static async killAll(): Promise<void> {
    try {
      execFileSync('tmux', ['-L', Terminal.socket, 'kill-server'], { stdio: 'ignore' });
    } catch {
      return; // no server
    }
    for (let tries = 0; tries < 100; tries++) {
      try {
        execFileSync('tmux', ['-L', Terminal.socket, 'list-sessions'], { stdio: 'pipe' });
      } catch (err) {
        if (/no server running|error connecting/.test(String((err as { stderr?: unknown }).stderr))) return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  constructor(
    readonly name: string,
    command: string,
    size = { columns: 100, rows: 30 },
  ) {
    this.tmux('new-session', '-d', '-s', name, '-x', String(size.columns), '-y', String(size.rows), '-c', repoRoot, command);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', Terminal.socket, ...args], { encoding: 'utf8' });
  }

  /** Types text (literally), then presses Enter as a separate key, as a person does. */
  type(text: string, enter = true): void {
    this.tmux('send-keys', '-t', this.name, '-l', text);
    if (enter) this.tmux('send-keys', '-t', this.name, 'Enter');
  }

  press(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.name, ...keys);
  }

  /** Pastes text as a terminal does from its clipboard: bracketed when the program asked for it. */
  paste(text: string): void {
    execFileSync('tmux', ['-L', Terminal.socket, 'load-buffer', '-b', this.name, '-'], { input: text });
    this.tmux('paste-buffer', '-p', '-d', '-b', this.name, '-t', this.name);
  }

  /** What the screen shows; with `escapes`, its colours and attributes as escape sequences. */
  screen({ escapes = false } = {}): string {
    return this.tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', this.name);
  }

  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows));
  }

  alive(): boolean {
    try {
      this.tmux('has-session', '-t', this.name);
      return true;
    } catch {
      return false;
    }
  }

  /** The screen once the program has finished drawing it: alike in two looks 100 ms apart. */
  async settled(ms = 10_000): Promise<string> {
    const deadline = Date.now() + ms;
    for (let before = this.screen(); ; ) {
      await new Promise((r) => setTimeout(r, 100));
      const now = this.screen();
      if (now === before) return now;
      if (Date.now() > deadline) throw new Error(`the screen of ${this.name} never settled:\n${now}`);
      before = now;
    }
  }

  /** Waits until the screen matches `pattern` (a person looking at it). */
  async waitFor(pattern: RegExp | string, ms = 10_000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const screen = this.alive() ? this.screen() : '';
      if (typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`the screen of ${this.name} never showed ${pattern}:\n${screen}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
