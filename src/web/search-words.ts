import { ALL, nameKey } from '../protocol/index.js';
import { isRoomName } from '../client/index.js';

/** A piece of a search hit's text: one of the words searched for (marked), or the text between them. */
export interface MarkedPiece {
  text: string;
  marked: boolean;
}

/** A word as the server's search index cuts text into words: letters and digits (docs/protocol.md §11, SEARCH). */
const WORD = /[\p{L}\p{N}]+/gu;

/** A word as the index compares words: without case or accents ("Café" finds "cafe"). */
function folded(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** A hit's text cut into pieces, the words of the query marked wherever they stand in it. */
export function markedPieces(text: string, query: string): MarkedPiece[] {
  const words = new Set([...query.matchAll(WORD)].map((m) => folded(m[0])));
  const pieces: MarkedPiece[] = [];
  let done = 0;
  for (const match of text.matchAll(WORD)) {
    if (!words.has(folded(match[0]))) continue;
    if (match.index > done) pieces.push({ text: text.slice(done, match.index), marked: false });
    pieces.push({ text: match[0], marked: true });
    done = match.index + match[0].length;
  }
  if (done < text.length) pieces.push({ text: text.slice(done), marked: false });
  return pieces;
}

/** A conversation as a person names it: "Everyone", a room's name, or "Whispers with bob". */
export function conversationLabel(conversation: string): string {
  if (nameKey(conversation) === nameKey(ALL)) return 'Everyone';
  return isRoomName(conversation) ? conversation : `Whispers with ${conversation}`;
}
