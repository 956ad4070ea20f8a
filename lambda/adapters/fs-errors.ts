/** The `code` of a Node file-system error (`ENOENT`, `EEXIST`…), or undefined for anything else. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** For `.catch()` on a removal: a file that is already gone is what we wanted. */
export function ignoreMissing(error: unknown): void {
  if (errorCode(error) !== 'ENOENT') throw error;
}
