/**
 * The input line's text and cursor, edited in place. Key handling must not depend on React having
 * re-rendered between two keys (tmux, pastes and fast typists deliver keys back to back), so the
 * state lives here, outside React, and the component re-renders after each change.
 */
export class LineEditor {
  text = '';
  cursor = 0;

  set(text: string): void {
    this.text = text;
    this.cursor = text.length;
  }

  insert(chars: string): void {
    this.text = this.text.slice(0, this.cursor) + chars + this.text.slice(this.cursor);
    this.cursor += chars.length;
  }

  backspace(): void {
    if (this.cursor === 0) return;
    const before = Array.from(this.text.slice(0, this.cursor));
    before.pop();
    const head = before.join('');
    this.text = head + this.text.slice(this.cursor);
    this.cursor = head.length;
  }

  deleteWord(): void {
    const head = this.text.slice(0, this.cursor).replace(/\S*\s*$/, '');
    this.text = head + this.text.slice(this.cursor);
    this.cursor = head.length;
  }

  left(): void {
    if (this.cursor > 0) this.cursor -= Array.from(this.text.slice(0, this.cursor)).at(-1)!.length;
  }

  right(): void {
    if (this.cursor < this.text.length) this.cursor += Array.from(this.text.slice(this.cursor))[0]!.length;
  }

  home(): void {
    this.cursor = 0;
  }

  end(): void {
    this.cursor = this.text.length;
  }

  /** Empties the line and returns what it held. */
  take(): string {
    const text = this.text;
    this.set('');
    return text;
  }
}
