/** Bracketed paste: once enabled, the terminal sends pasted text between ESC[200~ and ESC[201~. */
export const BRACKETED_PASTE_ON = '\x1b[?2004h';
export const BRACKETED_PASTE_OFF = '\x1b[?2004l';

/** Ink hands the markers over as key input without their ESC. */
const START = '[200~';
const END = '[201~';

/**
 * Gathers a bracketed paste from Ink's key input, which delivers it in pieces: the start marker,
 * the text (in one or more chunks; a chunk of a lone line break or tab arrives as that key), the
 * end marker. Line breaks come as CR from most terminals; the paste is handed over with LF.
 */
export class PasteCollector {
  private text: string | undefined;

  /** Takes one input event; returns whether it was part of a paste, and the whole paste at its end. */
  feed(input: string, key: { return: boolean; tab: boolean }): { consumed: boolean; pasted?: string } {
    if (this.text === undefined) {
      if (!input.startsWith(START)) return { consumed: false };
      this.text = '';
      input = input.slice(START.length);
    }
    const end = input.indexOf(END);
    this.text += end === -1 ? input || (key.return ? '\r' : key.tab ? '\t' : '') : input.slice(0, end);
    if (end === -1) return { consumed: true };
    const pasted = this.text.replace(/\r\n?/g, '\n');
    this.text = undefined;
    return { consumed: true, pasted };
  }
}
