import { ErrorCode, HcpError } from '../../protocol/index.js';
import { StoreError, type StoreErrorCode } from './ports.js';

/** The store's refusals a user can act on, as the HCP errors they are told; any other is STORE_FAILED. */
const TOLD_AS: Partial<Record<StoreErrorCode, { code: ErrorCode; reason?: string }>> = {
  NAME_TAKEN: { code: ErrorCode.NAME_REGISTERED, reason: 'that name is registered already' },
  NO_SUCH_ACCOUNT: { code: ErrorCode.NOT_LOGGED_IN, reason: 'that account no longer exists' },
  ROOM_TAKEN: { code: ErrorCode.ROOM_EXISTS },
};

/** A store's answer, or its refusal as the HCP error the peer is told: the request fails, nothing else does. */
export async function guard<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    const told = TOLD_AS[err.code];
    if (told) throw new HcpError(told.code, told.reason ?? err.message, false, { cause: err });
    throw new HcpError(ErrorCode.STORE_FAILED, `the server could not save this: ${err.message}`, false, { cause: err });
  }
}
