/**
 * Orders strings by UTF-16 code unit, as `<` does: the same order on every machine and Node
 * version, unlike `localeCompare`, so reports, digests and sweep cursors never depend on locale.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
