import type { Store } from '../core/ports.js';

/** Takes the seconds one store call took; `op` names it, e.g. `history.append`. */
export type StoreTimer = (op: string) => (seconds: number) => void;

/**
 * The store with each call timed, at the seam between the core and the store: calls are per
 * request or per turn (history's appends come in one batch a turn), never per delivery.
 */
export function timedStore(store: Store, timer: StoreTimer): Store {
  return {
    accounts: timed(store.accounts, 'accounts', timer),
    rooms: timed(store.rooms, 'rooms', timer),
    history: timed(store.history, 'history', timer),
    moderation: timed(store.moderation, 'moderation', timer),
    blocks: timed(store.blocks, 'blocks', timer),
    location: store.location,
    ping: () => store.ping(),
    close: () => store.close(),
  };
}

/** `target` with its methods timed, as `part.method`. */
function timed<T extends object>(target: T, part: string, timer: StoreTimer): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(t, key) {
      const value: unknown = Reflect.get(t, key, t);
      if (typeof value !== 'function') return value;
      let fn = wrapped.get(key);
      if (!fn) {
        const observe = timer(`${part}.${String(key)}`);
        fn = (...args: unknown[]): unknown => {
          const started = performance.now();
          const done = () => observe((performance.now() - started) / 1000);
          const result: unknown = Reflect.apply(value, t, args);
          if (result instanceof Promise) return result.finally(done);
          done();
          return result;
        };
        wrapped.set(key, fn);
      }
      return fn;
    },
  });
}
