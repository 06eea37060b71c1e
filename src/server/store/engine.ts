import { StoreError } from '../core/ports.js';

/** What the queries need to know of the engine under them: how its failures read. */
export interface EngineErrors {
  /** The failure was a row whose key is taken already. */
  isUniqueViolation(err: unknown): boolean;
  /** The failure as a StoreError with a reason a person can act on. */
  toStoreError(err: unknown): StoreError;
}

/** Runs a query, turning the engine's failures into StoreErrors (`special` first, for the caller's own cases). */
export async function runQuery<T>(errors: EngineErrors, query: () => Promise<T>, special?: (err: unknown) => StoreError | undefined): Promise<T> {
  try {
    return await query();
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw special?.(err) ?? errors.toStoreError(err);
  }
}
