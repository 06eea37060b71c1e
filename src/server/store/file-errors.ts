import { StoreError } from '../core/ports.js';

/** A failure of one of the store's files (the data folder, the turn log) as a StoreError naming `what`. */
export function fileError(err: unknown, what: string): StoreError {
  const code = (err as NodeJS.ErrnoException).code;
  const remedy = 'give the server write access there, or choose another folder with --data';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new StoreError('NOT_WRITABLE', `${what}: permission denied (${code}); ${remedy}`, { cause: err });
  if (code === 'ENOSPC') return new StoreError('DISK_FULL', `${what}: the disk is full`, { cause: err });
  return new StoreError('IO_ERROR', `${what}: ${(err as Error).message}`, { cause: err });
}
