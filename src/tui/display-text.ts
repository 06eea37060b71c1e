/**
 * Text as every terminal draws it the same width that `string-width` (and so Ink) measures it.
 *
 * Terminals disagree about emoji sequences: tmux and xterm draw 👍🏽 as 👍 and a colour swatch
 * (4 columns, where string-width says 2) and ❤️ as a 1-column ❤; xterm draws 👨‍👩‍👧 as three people
 * (6 columns), tmux as one (2). Drawn wider than measured, a row pushes the box's right border
 * along or onto the next line. So the log shows such sequences in the form that has one width
 * everywhere: without skin-tone modifiers, variation selectors and the joiners between emoji
 * (👨‍👩‍👧 as 👨👩👧). Control characters, which would move the cursor, are shown as �.
 */
export function displayText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '    ')
    .replace(/[\u{1F3FB}-\u{1F3FF}\uFE0E\uFE0F\u20E3]/gu, '')
    .replace(/(?<=\p{Extended_Pictographic})\u200D(?=\p{Extended_Pictographic})/gu, '')
    .replace(/[\p{Cc}\u2028\u2029]/gu, (c) => (c === '\n' ? c : '\uFFFD'));
}
