import type { Key } from 'ink';
import { LineEditor } from './line-editor.js';

/** One question asked in the input line; a `hidden` answer (a password) shows as one • per character. */
export interface Question {
  label: string;
  hidden: boolean;
}

/**
 * Questions asked in the input line one after another (a password, then the same again). What is
 * typed here never reaches the chat line nor its history (Up arrow), and a hidden answer is never
 * drawn: only as many • as it has characters. Enter answers, Esc cancels the whole prompt.
 */
export class Prompt {
  private readonly editor = new LineEditor();
  private readonly answers: string[] = [];
  private over = false;

  constructor(
    private readonly questions: readonly Question[],
    /** Called once: with every answer, or undefined when cancelled. */
    private readonly end: (answers: string[] | undefined) => void,
  ) {}

  get question(): Question {
    return this.questions[this.answers.length]!;
  }

  /** The answer as the input line shows it. */
  get shown(): string {
    return this.question.hidden ? '•'.repeat(Array.from(this.editor.text).length) : this.editor.text;
  }

  /** One key (or a burst of typed characters) while the prompt is open. */
  key(chars: string, key: Key): void {
    if (key.return) this.enter();
    else if (key.escape) this.cancel();
    else if (key.backspace || key.delete) this.editor.backspace();
    else if (key.ctrl && chars === 'u') this.editor.set('');
    else if (chars && !key.ctrl && !key.meta) this.type(chars);
  }

  /** Typed or pasted text: a line break in it is an Enter. */
  type(text: string): void {
    for (const part of text.split(/(\r\n?|\n)/)) {
      if (this.over) return;
      if (/^[\r\n]/.test(part)) this.enter();
      else this.editor.insert(part.replace(/\t/g, ''));
    }
  }

  cancel(): void {
    this.finish(undefined);
  }

  private enter(): void {
    this.answers.push(this.editor.take());
    if (this.answers.length === this.questions.length) this.finish(this.answers);
  }

  private finish(answers: string[] | undefined): void {
    if (this.over) return;
    this.over = true;
    this.end(answers);
  }
}
