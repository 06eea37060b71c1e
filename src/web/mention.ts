/**
 * Whether a text mentions a name: the name as a whole word, in any case ("Alice", "@alice,"), so
 * "Al" is not mentioned by "Alice".
 */
export function mentions(text: string, name: string): boolean {
  if (name.trim() === '') return false;
  const at = new RegExp(`(^|[^\\p{L}\\p{N}_])${escapeRegExp(name)}(?=$|[^\\p{L}\\p{N}_])`, 'iu');
  return at.test(text);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
