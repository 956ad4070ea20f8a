/** Small text helpers of the weekly digest's lines. */

/** "+3", "−2", "±0". */
export function signed(value: number): string {
  if (value > 0) return `+${value}`;
  if (value < 0) return `−${-value}`;
  return '±0';
}

/** " (+3)" after a figure, nothing when there is no earlier week. */
export function delta(value: number | undefined): string {
  return value === undefined ? '' : ` (${signed(value)})`;
}

/** A change of a percentage, in percentage points. */
export function points(value: number): string {
  return `${signed(value)} pts`;
}

/** A mrkdwn line as plain text: markup dropped, escapes kept (the fallback is mrkdwn too). */
export function plainOf(line: string): string {
  return line.replace(/\*/g, '').replace(/`/g, '');
}

/** The start of a long value (a 256-character name tag), marked as cut. */
export function cut(text: string, chars: number): string {
  return text.length <= chars ? text : `${text.slice(0, chars - 1)}…`;
}
