/** Names shown one line each; from this many at once, one line says how many, naming a few. */
const MANY = 4;

/**
 * What to tell a person of one change of the user list: "bob joined", "amy left", or, when many
 * came or went at once (a server restarting, a join storm), one line for each kind:
 * "250 joined: amy, bob, cy and 247 more".
 */
export function presenceNotices(change: { joined: string[]; left: string[] }): string[] {
  const lines = (names: string[], verb: string): string[] =>
    names.length < MANY
      ? names.map((n) => `${n} ${verb}`)
      : [`${names.length} ${verb}: ${names.slice(0, MANY - 1).join(', ')} and ${names.length - (MANY - 1)} more`];
  return [...lines(change.joined, 'joined'), ...lines(change.left, 'left')];
}
