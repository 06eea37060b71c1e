/**
 * The part of the online list that fits in `rows` lines: everyone when they fit; otherwise the
 * first ones in order of joining, always with the user and the one whispered to, and a last line
 * saying how many more there are. A server of thousands then costs the screen a few lines, not a
 * render of thousands.
 */
export function visibleUsers(users: string[], rows: number, keep: Array<string | undefined>): { shown: string[]; more: number } {
  if (users.length <= rows) return { shown: users, more: 0 };
  const room = Math.max(1, rows - 1); // the last line says how many more
  const wanted = new Set(keep.filter((u): u is string => u !== undefined && users.includes(u)));
  const shown: string[] = [];
  for (const u of users) {
    if (shown.length + wanted.size >= room) break;
    if (!wanted.has(u)) shown.push(u);
  }
  const set = new Set([...shown, ...wanted]);
  const ordered = users.filter((u) => set.has(u)); // in order of joining, the kept ones in place
  return { shown: ordered, more: users.length - ordered.length };
}
