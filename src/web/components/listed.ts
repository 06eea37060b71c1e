import { useEffect, useState } from 'preact/hooks';
import type { Outcome } from '../chat.js';

/** A list the server gives (MOD_USERS, MOD_BANS, MOD_REPORTS), asked again with `reload`. */
export function useListed<T>(ask: () => Promise<Outcome<T[]>>): [Outcome<T[]> | undefined, () => void] {
  const [listed, setListed] = useState<Outcome<T[]> | undefined>(undefined);
  const reload = () => void ask().then(setListed);
  useEffect(reload, []);
  return [listed, reload];
}
